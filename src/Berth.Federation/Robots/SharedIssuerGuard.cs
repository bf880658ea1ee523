using System.Text.RegularExpressions;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// github.com's and gitlab.com's issuers sign tokens for every tenant on the platform, so a robot that
/// trusts one must pin its tenant with an exact rule (equals, in, or a glob without <c>*</c>) on an owner,
/// namespace, repository or project claim, or on <c>sub</c> with a fixed owner prefix.
/// </summary>
internal static partial class SharedIssuerGuard
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string GitLabIssuer = "https://gitlab.com";

    private static readonly string[] GitHubPins = ["repository_owner_id", "repository_owner", "repository_id", "repository"];
    private static readonly string[] GitLabPins = ["namespace_id", "namespace_path", "project_id", "project_path"];

    [GeneratedRegex(@"\Arepo:[^/:*]+/", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubSubject();

    [GeneratedRegex(@"\Aproject_path:[^/:*]+/", RegexOptions.CultureInvariant)]
    private static partial Regex GitLabSubject();

    /// <summary>Null when the robot is fine; otherwise the message naming the claim to add.</summary>
    public static string? Check(RobotDefinition robot, string issuer)
    {
        var normalized = issuer.TrimEnd('/');
        if (string.Equals(normalized, GitHubIssuer, StringComparison.Ordinal))
        {
            return IsPinned(robot, GitHubPins, GitHubSubject()) ? null
                : $"robot '{robot.Name}' trusts the shared issuer {GitHubIssuer}: add a rule on repository_owner_id (preferred) or repository to pin your organisation";
        }

        if (string.Equals(normalized, GitLabIssuer, StringComparison.Ordinal))
        {
            return IsPinned(robot, GitLabPins, GitLabSubject()) ? null
                : $"robot '{robot.Name}' trusts the shared issuer {GitLabIssuer}: add a rule on namespace_id (preferred) or project_path to pin your group";
        }

        return null;
    }

    private static bool IsPinned(RobotDefinition robot, string[] pinClaims, Regex subjectPrefix) =>
        robot.Rules.Any(rule => IsExact(rule) && rule.Values.All(v => v.Length > 0) &&
            (pinClaims.Contains(rule.Claim, StringComparer.Ordinal)
             || (rule.Claim == "sub" && rule.Values.All(v => subjectPrefix.IsMatch(v)))))
        || robot.Rules.Any(rule => rule.Claim == "sub" && rule.Operator == ClaimOperator.Glob && subjectPrefix.IsMatch(rule.Values[0]));

    private static bool IsExact(ClaimRule rule) =>
        rule.Operator is ClaimOperator.Equal or ClaimOperator.In
        || (rule.Operator == ClaimOperator.Glob && !rule.Values[0].Contains('*', StringComparison.Ordinal));
}
