namespace Berth.Access.Refresh;

/// <summary>
/// A refresh token as stored: only its hash, the robots it was bound to and the workload
/// (<paramref name="Issuer"/>, <paramref name="Subject"/>) that bought it.
/// </summary>
/// <param name="TokenHash">Hex SHA-256 of the opaque token; the token itself is never stored.</param>
/// <param name="RobotsFingerprint">Hash of the bound robots' definitions at issue time; a rule change makes it stale.</param>
/// <param name="PermissionsJson">The permissions granted at login, with claim templates already resolved (JSON array), since the workload's claims are not kept.</param>
public sealed record RefreshTokenRecord(
    string TokenHash,
    IReadOnlyList<string> Robots,
    string Issuer,
    string Subject,
    string RobotsFingerprint,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string PermissionsJson = "[]");
