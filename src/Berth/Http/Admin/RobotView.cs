using Berth.Access.Permissions;
using Berth.Auth;
using Berth.Federation.Robots;

namespace Berth.Http.Admin;

/// <summary>A robot in the admin API's answers.</summary>
/// <param name="Kind"><c>federated</c> or <c>classic</c>.</param>
/// <param name="Secret">A classic robot's secret, only in the response that creates or rotates it.</param>
/// <param name="Warnings">What <c>berth robot lint</c> says about the robot; omitted when nothing.</param>
internal sealed record RobotView(
    string Name,
    string Kind,
    string? IdentityProvider,
    bool Enabled,
    IReadOnlyList<RuleModel> Rules,
    IReadOnlyList<Permission> Permissions,
    TimeSpan RefreshTokenLifetime,
    string ManagedBy,
    string? Secret = null,
    IReadOnlyList<LintWarning>? Warnings = null)
{
    public static RobotView Of(FederationSnapshot snapshot, RobotDefinition robot, string? secret = null) => new(
        robot.Name,
        robot.IsFederated ? "federated" : "classic",
        robot.IdentityProvider,
        robot.Enabled,
        robot.Rules.Select(r => RuleModel.Of(RuleOperands.ToSettings(r))).ToList(),
        robot.Permissions,
        robot.RefreshTokenLifetime,
        FederationSnapshot.ManagedBy(snapshot.Config.Robots.Contains(robot.Name)),
        secret,
        snapshot.WarningsOf(robot.Name) is { Count: > 0 } warnings ? warnings : null);
}
