namespace Berth.Access.Tokens;

/// <summary>
/// A signed registry token. <see cref="ExpiresIn"/> is the honest number of seconds from
/// <see cref="IssuedAt"/> to <c>exp</c>: it may be below 60 when the workload token is about to expire.
/// </summary>
public sealed record IssuedRegistryToken(string Token, int ExpiresIn, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string TokenId);
