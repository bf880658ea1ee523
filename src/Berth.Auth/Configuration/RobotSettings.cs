namespace Berth.Configuration;

/// <summary>
/// A robot account (<c>robots:</c>): federated (an identity provider and claim rules) or classic
/// (a <c>secretHash</c> printed by <c>berth hash-secret</c>).
/// </summary>
public sealed record RobotSettings
{
    public string Name { get; init; } = string.Empty;

    public string? IdentityProvider { get; init; }

    public List<RuleSettings> Rules { get; init; } = [];

    public List<PermissionSettings> Permissions { get; init; } = [];

    public string? SecretHash { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>How long a refresh token from this robot lives (default 1 h, at most 24 h).</summary>
    public TimeSpan? RefreshTokenLifetime { get; init; }
}
