using Berth.Access.Audit;
using Berth.Access.Permissions;
using Berth.Access.Scopes;

namespace Berth.Audit;

/// <summary>
/// The audit entries for what a token exchange asked for and did not get: one <c>refused</c> entry per
/// repository and action, of the action's kind (pull, push, delete), so <c>berth audit --outcome refused</c>,
/// <c>--repository</c>, <c>--robot</c> and <c>--kind push</c> find a denied push as they find a push the
/// registry refused. The exchange's own <c>token</c> entry stays <c>accepted</c>: the client did get a token.
/// </summary>
internal static class DeniedScopes
{
    public const string NotGranted = "not_granted";

    /// <param name="refused">The scopes (with only their refused actions) that were not granted.</param>
    /// <param name="template">The exchange's entry: time, issuer, subject, jti, robots and client.</param>
    public static IEnumerable<AuditEntry> Entries(IEnumerable<(ResourceScope Scope, string Why)> refused, AuditEntry template)
    {
        foreach (var (scope, why) in refused)
        {
            var repository = scope.Type == ResourceScope.RepositoryType ? scope.Name : null;
            foreach (var action in Expand(scope))
            {
                // The catalog lists repositories: a read, so it is audited as a pull.
                var kind = RegistryActions.IsKnown(action) ? action : RegistryActions.Pull;
                yield return template with
                {
                    Kind = kind,
                    Outcome = "refused",
                    Repository = repository,
                    Reason = $"{NotGranted}: {scope.Type}:{scope.Name}:{action} {why}",
                };
            }
        }
    }

    // A refused '*' means no action was granted at all on that repository: each of them was denied.
    private static IEnumerable<string> Expand(ResourceScope scope) =>
        scope.Type == ResourceScope.RepositoryType && scope.Actions.Contains(RegistryActions.Any, StringComparer.Ordinal)
            ? RegistryActions.All.Union(scope.Actions.Where(a => a != RegistryActions.Any), StringComparer.Ordinal)
            : scope.Actions;
}
