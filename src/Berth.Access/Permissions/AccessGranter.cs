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
    public static AccessDecision Grant(IEnumerable<ResourceScope> requested, IReadOnlyCollection<Permission> permissions) =>
        Grant(requested, permissions, []);

    /// <summary>
    /// As <see cref="Grant(IEnumerable{ResourceScope}, IReadOnlyCollection{Permission})"/> over the union of
    /// both lists (a caller's robots' permissions and what everyone may do), without building the union.
    /// </summary>
    /// <remarks>Loops rather than LINQ: this runs on every token exchange.</remarks>
    public static AccessDecision Grant(IEnumerable<ResourceScope> requested, IReadOnlyCollection<Permission> permissions, IReadOnlyCollection<Permission> alsoAllowed)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(alsoAllowed);

        var merged = ScopeParser.Merge(requested);
        var granted = new List<ResourceScope>(merged.Count);
        var refused = new List<ResourceScope>();
        foreach (var scope in merged)
        {
            var actions = GrantedActions(scope, permissions, alsoAllowed);
            if (actions.Count > 0)
            {
                // Most requests get exactly what they asked for: the scope itself then, not a copy.
                granted.Add(SameActions(actions, scope.Actions) ? scope : scope with { Actions = actions });
            }

            // A requested '*' is refused only when it expanded to nothing.
            List<string>? missing = null;
            foreach (var action in scope.Actions)
            {
                if (action == RegistryActions.Any ? actions.Count == 0 : !actions.Contains(action))
                {
                    (missing ??= []).Add(action);
                }
            }

            if (missing is not null)
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

    private static List<string> GrantedActions(ResourceScope scope, IReadOnlyCollection<Permission> permissions, IReadOnlyCollection<Permission> alsoAllowed)
    {
        var result = new List<string>(scope.Actions.Count);
        if (scope.Type == ResourceScope.RegistryType && scope.Name == ResourceScope.CatalogName)
        {
            if (scope.Actions.Contains(RegistryActions.Any, StringComparer.Ordinal) && (permissions.Any(IsCatalogPermission) || alsoAllowed.Any(IsCatalogPermission)))
            {
                result.Add(RegistryActions.Any);
            }

            return result;
        }

        if (scope.Type != ResourceScope.RepositoryType || !TrySplit(scope.Name, out var project, out var path))
        {
            return result;
        }

        var allowed = AllowedActions(permissions, project, path) | AllowedActions(alsoAllowed, project, path);
        foreach (var action in scope.Actions)
        {
            if (action == RegistryActions.Any)
            {
                foreach (var known in RegistryActions.All)
                {
                    if ((allowed & Bit(known)) != 0 && !result.Contains(known))
                    {
                        result.Add(known);
                    }
                }
            }
            else if ((allowed & Bit(action)) != 0 && !result.Contains(action))
            {
                result.Add(action);
            }
        }

        return result;
    }

    /// <summary>The known actions (pull, push, delete) of every permission that applies, as <see cref="Bit"/> flags.</summary>
    private static int AllowedActions(IReadOnlyCollection<Permission> permissions, string project, string path)
    {
        var allowed = 0;
        foreach (var permission in permissions)
        {
            if (Applies(permission, project, path))
            {
                foreach (var action in permission.Actions)
                {
                    allowed |= Bit(action);
                }
            }
        }

        return allowed;
    }

    private static bool SameActions(List<string> actions, IReadOnlyList<string> requested)
    {
        if (actions.Count != requested.Count)
        {
            return false;
        }

        for (var i = 0; i < actions.Count; i++)
        {
            if (!string.Equals(actions[i], requested[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static int Bit(string action) => action switch
    {
        RegistryActions.Pull => 1,
        RegistryActions.Push => 2,
        RegistryActions.Delete => 4,
        _ => 0,
    };

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
