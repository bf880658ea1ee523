using Berth.Configuration;

namespace Berth.Auth.Documents;

/// <summary>A robot made through the admin API, as stored in <c>admin_documents</c> (kind <c>robot</c>).</summary>
/// <param name="SecretHash">A classic robot's secret hash; null for a federated robot.</param>
/// <param name="SchemaVersion">1; rows written before the field existed read as 1.</param>
internal sealed record RobotDocument(
    string Name,
    string? IdentityProvider,
    IReadOnlyList<RuleDocument>? Rules,
    IReadOnlyList<PermissionDocument>? Permissions,
    string? SecretHash,
    bool Enabled,
    TimeSpan? RefreshTokenLifetime,
    int SchemaVersion = 1)
{
    public static RobotDocument Of(RobotSettings robot) => new(
        robot.Name,
        robot.IdentityProvider,
        robot.Rules.Select(RuleDocument.Of).ToList(),
        robot.Permissions.Select(p => new PermissionDocument(p.Project, p.Repositories, p.Actions)).ToList(),
        robot.SecretHash,
        robot.Enabled,
        robot.RefreshTokenLifetime);

    public RobotSettings ToSettings() => new()
    {
        Name = Name,
        IdentityProvider = IdentityProvider,
        Rules = [.. (Rules ?? []).Select(r => r.ToSettings())],
        Permissions = [.. (Permissions ?? []).Select(p => new PermissionSettings { Project = p.Project, Repositories = p.Repositories, Actions = [.. p.Actions ?? []] })],
        SecretHash = SecretHash,
        Enabled = Enabled,
        RefreshTokenLifetime = RefreshTokenLifetime,
    };
}
