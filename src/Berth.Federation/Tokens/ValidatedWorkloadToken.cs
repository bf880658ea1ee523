using System.Text.Json;

namespace Berth.Federation.Tokens;

/// <summary>
/// A workload token whose signature, issuer, audience and lifetime have been verified.
/// <see cref="Claims"/> is the whole payload (a detached <see cref="JsonElement"/>) for rule matching.
/// </summary>
public sealed record ValidatedWorkloadToken(
    string IdentityProvider,
    string Issuer,
    string Subject,
    string? Jti,
    IReadOnlyList<string> Audiences,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? IssuedAt,
    JsonElement Claims);
