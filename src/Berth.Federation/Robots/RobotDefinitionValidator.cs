using Berth.Federation.IdentityProviders;

namespace Berth.Federation.Robots;

/// <summary>
/// Checks robot definitions against the configured identity providers, including the shared-issuer guard.
/// Each message names the robot and the field, e.g. <c>robots[ci-push].permissions[0].actions: …</c>.
/// </summary>
public static class RobotDefinitionValidator
{
    private static readonly string[] KnownActions = ["pull", "push", "delete"];

    public static IReadOnlyList<string> Validate(RobotDefinition robot, IReadOnlyCollection<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(identityProviders);
        var errors = new List<string>();
        var prefix = $"robots[{(string.IsNullOrWhiteSpace(robot.Name) ? "?" : robot.Name)}]";
        void Error(string field, string message) => errors.Add($"{prefix}.{field}: {message}");

        if (string.IsNullOrWhiteSpace(robot.Name))
        {
            Error("name", "is required");
        }

        if (robot.IdentityProvider is null)
        {
            if (string.IsNullOrWhiteSpace(robot.SecretHash))
            {
                Error("secretHash", "a classic robot (no identityProvider) needs a secretHash");
            }

            if (robot.Rules.Count > 0)
            {
                Error("rules", "a classic robot has no claim rules; set identityProvider to make it federated");
            }
        }
        else
        {
            if (robot.SecretHash is not null)
            {
                Error("secretHash", "a federated robot has no secret; remove secretHash or identityProvider");
            }

            var provider = identityProviders.FirstOrDefault(p => string.Equals(p.Name, robot.IdentityProvider, StringComparison.Ordinal));
            if (provider is null)
            {
                Error("identityProvider", $"'{robot.IdentityProvider}' is not a configured identity provider");
            }
            else if (SharedIssuerGuard.Check(robot, provider.Issuer) is { } guard)
            {
                errors.Add(guard);
            }
        }

        if (robot.RefreshTokenLifetime <= TimeSpan.Zero || robot.RefreshTokenLifetime > RobotDefinition.MaxRefreshTokenLifetime)
        {
            Error("refreshTokenLifetime", $"must be positive and at most {RobotDefinition.MaxRefreshTokenLifetime}");
        }

        for (var i = 0; i < robot.Permissions.Count; i++)
        {
            var permission = robot.Permissions[i];
            var field = $"permissions[{i}]";
            if (string.IsNullOrWhiteSpace(permission.Project))
            {
                Error($"{field}.project", "is required (a project name or *)");
            }

            if (string.IsNullOrWhiteSpace(permission.Repositories))
            {
                Error($"{field}.repositories", "is required (a repository glob such as ** or app/*)");
            }

            if (permission.Actions is not null && permission.Actions.Contains(KeySyncPermission.Action, StringComparer.Ordinal))
            {
                if (permission.Actions.Count > 1)
                {
                    Error($"{field}.actions", $"{KeySyncPermission.Action} is not a registry action: give it its own permission entry");
                }

                if (robot.IdentityProvider is null)
                {
                    Error($"{field}.actions", $"only a federated robot may hold {KeySyncPermission.Action}: it is proved by a token of the identity provider whose keys it replaces");
                }
                else if (!robot.Rules.Any(rule => rule.Claim == "sub" && RulePattern.IsExact(rule)))
                {
                    // Whoever holds a matching token may add a key and then sign tokens for every robot of the provider.
                    Error("rules", $"a robot holding {KeySyncPermission.Action} must pin one subject with an exact sub rule, e.g. sub equals system:serviceaccount:kube-system:berth-key-sync: every token it matches may replace the provider's keys");
                }
            }
            else if (permission.Actions is null || permission.Actions.Count == 0 || permission.Actions.Any(a => !KnownActions.Contains(a, StringComparer.Ordinal)))
            {
                Error($"{field}.actions", $"must be a non-empty subset of pull, push, delete (or {KeySyncPermission.Action} alone)");
            }

            if (PermissionTemplate.IsTemplated(permission) && robot.IdentityProvider is null)
            {
                Error(field, "only federated robots may template permissions from claims");
            }

            foreach (var problem in PermissionTemplate.Problems(permission.Project ?? string.Empty).Concat(PermissionTemplate.Problems(permission.Repositories ?? string.Empty)))
            {
                Error(field, problem);
            }
        }

        return errors;
    }

    /// <summary>All problems of a set of robots, including duplicate names.</summary>
    public static IReadOnlyList<string> ValidateAll(IEnumerable<RobotDefinition> robots, IReadOnlyCollection<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(robots);
        var list = robots.ToList();
        var errors = list.SelectMany(r => Validate(r, identityProviders)).ToList();
        errors.AddRange(list.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"robots[{g.Key}].name: is used by {g.Count()} robots"));
        return errors;
    }
}
