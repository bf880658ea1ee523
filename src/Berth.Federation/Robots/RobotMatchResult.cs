using Berth.Access.Permissions;
using Berth.Federation.Explain;

namespace Berth.Federation.Robots;

/// <summary>
/// The robots a token matched and the union of their (template-substituted) permissions. When nothing
/// matched, <see cref="Message"/> is the documented client message; <see cref="Explanation"/> holds the
/// per-rule detail for the audit log and must never be sent to the caller.
/// </summary>
public sealed record RobotMatchResult(
    IReadOnlyList<RobotDefinition> MatchedRobots,
    IReadOnlyList<Permission> Permissions,
    Explanation Explanation)
{
    /// <summary>The message a caller gets when its valid token matches no robot.</summary>
    public const string NoMatchMessage = "no robots matched your token";

    public bool Matched => MatchedRobots.Count > 0;

    public string? Message => Matched ? null : NoMatchMessage;
}
