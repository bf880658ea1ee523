namespace Berth.Access.Admin;

/// <summary>An admin API token as stored: its name and the SHA-256 of the token, never the token itself.</summary>
/// <param name="TokenHash">Lower-case hex SHA-256 of the <c>berth_at_…</c> token.</param>
/// <param name="ExpiresAt">Null: never expires.</param>
public sealed record AdminTokenRecord(string Name, string TokenHash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
