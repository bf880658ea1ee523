namespace Berth.Federation.Robots;

/// <summary>
/// Lint 1: a rule on a name that can be renamed and then registered by someone else, with no rule on the
/// immutable id beside it. GitHub's and Forgejo's names are shared (Forgejo copies GitHub's claims but
/// sends the ids only in newer releases, which the message says when the issuer is a Forgejo one);
/// GitLab's are its own. Kubernetes names are left alone on purpose: only the cluster's administrators
/// can create a namespace or service account, and pinning a uid breaks every GitOps re-creation.
/// </summary>
internal static class NameClaimLint
{
    private static readonly NamePair[] Pairs =
    [
        new("repository", "repository_id", "a repository", "gh api repos/OWNER/REPO --jq .id"),
        new("repository_owner", "repository_owner_id", "an owner", "gh api repos/OWNER/REPO --jq .owner.id"),
        new("actor", "actor_id", "a user", "gh api users/NAME --jq .id"),
        new("project_path", "project_id", "a project", "shown on the project's overview page"),
        new("namespace_path", "namespace_id", "a group", "shown on the group's overview page"),
        new("user_login", "user_id", "a user", "shown on the user's profile"),
    ];

    public static IEnumerable<LintWarning> Check(RobotDefinition robot, string? issuer)
    {
        var claims = robot.Rules.Select(r => r.Claim).ToHashSet(StringComparer.Ordinal);
        var forgejo = issuer?.TrimEnd('/').EndsWith("/api/actions", StringComparison.Ordinal) == true;
        foreach (var pair in Pairs.Where(p => claims.Contains(p.Name) && !claims.Contains(p.Id)))
        {
            var where = forgejo && pair.Name.StartsWith("repository", StringComparison.Ordinal)
                ? "Forgejo sends it from newer releases on: check your instance's tokens with berth explain"
                : pair.Hint;
            yield return new LintWarning(
                robot.Name,
                LintCodes.NameWithoutId,
                $"rules check {pair.Name} but not {pair.Id}: {pair.What} can be renamed and its old name registered by someone else, who then gets this robot's access; add a rule on {pair.Id} (immutable; {where})")
            {
                Rule = robot.Rules.Select((r, i) => (r.Claim, i)).First(p => p.Claim == pair.Name).i,
            };
        }
    }

    private sealed record NamePair(string Name, string Id, string What, string Hint);
}
