using Berth.Configuration;

namespace Berth.Http.Admin;

/// <summary>
/// What the bodies of <c>POST /robots</c> (<see cref="RobotCreateRequest"/>, also the lint and explain
/// drafts) and <c>PUT /robots/{name}</c> (<see cref="RobotUpdateRequest"/>) share: the API's own shape.
/// </summary>
internal abstract record RobotFields
{
    public string? IdentityProvider { get; init; }

    public IReadOnlyList<RuleModel>? Rules { get; init; }

    public IReadOnlyList<PermissionModel>? Permissions { get; init; }

    /// <summary>Unset: enabled.</summary>
    public bool? Enabled { get; init; }

    public TimeSpan? RefreshTokenLifetime { get; init; }

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
