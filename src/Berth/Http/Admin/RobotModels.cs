using Berth.Access.Permissions;
using Berth.Auth;
using Berth.Configuration;
using Berth.Federation.Claims;
using Berth.Federation.Robots;

namespace Berth.Http.Admin;

/// <summary>
/// A robot to create or replace (<c>POST /robots</c>, <c>PUT /robots/{name}</c>, the explain draft): the
/// configuration file's shape, plus <see cref="Secret"/> for a classic robot; the API's own type.
/// </summary>
/// <param name="Secret">True: a classic robot; Berth generates its secret and returns it once.</param>
internal sealed record RobotRequest(
    string Name,
    string? IdentityProvider,
    IReadOnlyList<RuleModel>? Rules,
    IReadOnlyList<PermissionModel>? Permissions,
    bool? Enabled,
    TimeSpan? RefreshTokenLifetime,
    bool Secret)
{
    public RobotSettings ToSettings(string name, string? secretHash) => new()
    {
        Name = name,
        IdentityProvider = IdentityProvider,
        Rules = [.. (Rules ?? []).Select(r => r.ToSettings())],
        Permissions = [.. (Permissions ?? []).Select(p => p.ToSettings())],
        Enabled = Enabled ?? true,
        RefreshTokenLifetime = RefreshTokenLifetime,
        SecretHash = secretHash,
    };
}

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
