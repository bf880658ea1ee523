using Berth.Access.Permissions;

namespace Berth.Federation.Explain;

/// <summary>One robot as applied to a claims document.</summary>
/// <param name="Robot">The robot's name.</param>
/// <param name="IdentityProvider">The identity provider it trusts; null for a classic robot.</param>
/// <param name="Considered">False when the robot was not checked at all (see <paramref name="Note"/>).</param>
/// <param name="Note">Why it was not considered or cannot match (disabled, classic, other provider, no rules); null otherwise.</param>
/// <param name="Rules">Each rule with the value found and its verdict (empty when not considered).</param>
/// <param name="Matched">Whether all rules hold.</param>
/// <param name="Permissions">The permissions granted, templates substituted; empty when not matched.</param>
/// <param name="DroppedPermissions">Templated permissions dropped because a substituted value was not a valid path.</param>
public sealed record RobotExplanation(
    string Robot,
    string? IdentityProvider,
    bool Considered,
    string? Note,
    IReadOnlyList<RuleExplanation> Rules,
    bool Matched,
    IReadOnlyList<Permission> Permissions,
    IReadOnlyList<string> DroppedPermissions);
