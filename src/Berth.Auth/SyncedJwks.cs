namespace Berth.Auth;

/// <summary>
/// A JWKS that a workload of an identity provider sent through key sync
/// (<c>PUT /api/v1/identity-providers/{name}/jwks</c>). It replaces the provider's configured static keys
/// (<c>jwks</c> or <c>jwksFile</c>) until the next sync, until an administrator removes it, or until an
/// API-managed provider is replaced or deleted.
/// </summary>
/// <param name="Issuer">The issuer of the token that sent it: the keys apply only while the provider has this issuer.</param>
/// <param name="Subject">The <c>sub</c> of the token that sent it; with <paramref name="TokenId"/>, for the audit trail.</param>
internal sealed record SyncedJwks(string Jwks, IReadOnlyList<string> Kids, DateTimeOffset SyncedAt, string Issuer, string Subject, string? TokenId, int SchemaVersion = 1);
