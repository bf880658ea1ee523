using Berth.Access.Scopes;

namespace Berth.Access.Permissions;

/// <summary>
/// Intersects requested scopes with a robot's (or several robots') permissions.
/// <list type="bullet">
/// <item><c>repository:&lt;project&gt;/&lt;path&gt;:&lt;actions&gt;</c>: a permission applies when its project is
/// the name's first component (or <c>*</c>) and its glob matches the rest; a one-component name has no
/// path and never matches. Granted actions are the requested ones the permission allows, unioned over
/// every applicable permission; a requested <c>*</c> becomes every action they allow.</item>
/// <item><c>registry:catalog:*</c>: only for a permission with project <c>*</c>, repositories <c>**</c> and
/// pull, since the catalog lists every repository.</item>
/// <item>Anything else (other types, unknown actions, invalid names) is refused.</item>
/// </list>
/// </summary>
public static class AccessGranter
{
    public static AccessDecision Grant(IEnumerable<ResourceScope> requested, IReadOnlyCollection<Permission> permissions)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(permissions);

        var granted = new List<ResourceScope>();
        var refused = new List<ResourceScope>();
        foreach (var scope in ScopeParser.Merge(requested))
        {
            var actions = GrantedActions(scope, permissions);
            if (actions.Count > 0)
            {
                granted.Add(scope with { Actions = actions });
            }

            // A requested '*' is refused only when it expanded to nothing.
            var missing = scope.Actions
                .Where(a => a == RegistryActions.Any ? actions.Count == 0 : !actions.Contains(a, StringComparer.Ordinal))
                .ToArray();
            if (missing.Length > 0)
            {
                refused.Add(scope with { Actions = missing });
            }
        }

        return new AccessDecision(granted, refused);
    }

    /// <summary>
    /// Whether the permissions allow <paramref name="action"/> (pull, push or delete) on
    /// <paramref name="repository"/> (<c>project/path…</c>); for credentials sent straight to <c>/v2</c>.
    /// </summary>
    public static bool Allows(IEnumerable<Permission> permissions, string repository, string action)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(action);
        if (!RegistryActions.IsKnown(action) || !TrySplit(repository, out var project, out var path))
        {
            return false;
        }

        return permissions.Any(p => Applies(p, project, path) && p.Actions.Contains(action, StringComparer.Ordinal));
    }

    private static List<string> GrantedActions(ResourceScope scope, IReadOnlyCollection<Permission> permissions)
    {
        var result = new List<string>();
        if (scope.Type == ResourceScope.RegistryType && scope.Name == ResourceScope.CatalogName)
        {
            if (scope.Actions.Contains(RegistryActions.Any, StringComparer.Ordinal) && permissions.Any(IsCatalogPermission))
            {
                result.Add(RegistryActions.Any);
            }

            return result;
        }

        if (scope.Type != ResourceScope.RepositoryType || !TrySplit(scope.Name, out var project, out var path))
        {
            return result;
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var permission in permissions)
        {
            if (Applies(permission, project, path))
            {
                allowed.UnionWith(permission.Actions.Where(RegistryActions.IsKnown));
            }
        }

        foreach (var action in scope.Actions)
        {
            if (action == RegistryActions.Any)
            {
                result.AddRange(RegistryActions.All.Where(a => allowed.Contains(a) && !result.Contains(a)));
            }
            else if (allowed.Contains(action) && !result.Contains(action))
            {
                result.Add(action);
            }
        }

        return result;
    }

    private static bool IsCatalogPermission(Permission permission) =>
        permission.Project == "*" && permission.Repositories == "**"
        && permission.Actions.Contains(RegistryActions.Pull, StringComparer.Ordinal);

    private static bool Applies(Permission permission, string project, string path)
    {
        if (permission.Project != "*" && !string.Equals(permission.Project, project, StringComparison.Ordinal))
        {
            return false;
        }

        return RepositoryGlob.GetCached(permission.Repositories)?.IsMatch(path) == true;
    }

    /// <summary>Splits <c>project/path…</c>; both parts must be valid repository path components.</summary>
    private static bool TrySplit(string repository, out string project, out string path)
    {
        project = path = "";
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == repository.Length - 1 || !RepositoryName.IsValid(repository))
        {
            return false;
        }

        project = repository[..slash];
        path = repository[(slash + 1)..];
        return true;
    }
}
