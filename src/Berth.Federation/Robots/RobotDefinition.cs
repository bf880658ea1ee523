using Berth.Access.Permissions;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// A robot account. Federated when <see cref="IdentityProvider"/> is set (it trusts that provider's tokens
/// whose claims satisfy all <see cref="Rules"/>); classic when it is null (it has a <see cref="SecretHash"/>).
/// Permissions may be templated from claims: <c>repositories: "ci/${repository}"</c>.
/// Checked by <see cref="RobotDefinitionValidator"/>.
/// </summary>
public sealed record RobotDefinition
{
    /// <summary>Refresh tokens never live longer than this, whatever a robot asks for.</summary>
    public static readonly TimeSpan MaxRefreshTokenLifetime = TimeSpan.FromHours(24);

    public required string Name { get; init; }

    /// <summary>The trusted identity provider's name; null for a classic robot.</summary>
    public string? IdentityProvider { get; init; }

    /// <summary>All must hold. A federated robot with no rules never matches.</summary>
    public IReadOnlyList<ClaimRule> Rules { get; init; } = [];

    public IReadOnlyList<Permission> Permissions { get; init; } = [];

    /// <summary>A classic robot's hashed secret (e.g. <c>sha256:…</c>); the plain secret is never stored.</summary>
    public string? SecretHash { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>How long refresh tokens bought through this robot live; default 1 h.</summary>
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    public bool IsFederated => IdentityProvider is not null;
}
