namespace Berth.Configuration;

/// <summary>
/// A robot account (<c>robots:</c>): federated (an identity provider and claim rules) or classic
/// (a <c>secretHash</c> printed by <c>berth hash-secret</c>).
/// </summary>
public sealed class RobotSettings
{
    public string Name { get; set; } = string.Empty;

    public string? IdentityProvider { get; set; }

    public List<RuleSettings> Rules { get; set; } = [];

    public List<PermissionSettings> Permissions { get; set; } = [];

    public string? SecretHash { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>How long a refresh token from this robot lives (default 1 h, at most 24 h).</summary>
    public TimeSpan? RefreshTokenLifetime { get; set; }
}
