using Berth.Federation.IdentityProviders;

namespace Berth.Http.Admin;

/// <summary>An identity provider in the admin API's answers.</summary>
/// <param name="KeySource">Where keys come from, e.g. <c>discovery https://…</c>, <c>static jwks</c> or <c>synced jwks (…)</c>.</param>
/// <param name="ManagedBy"><c>config</c> (the file; read-only here) or <c>api</c>.</param>
/// <param name="Keys">Key cache health: last fetch, kids, last error. A static JWKS shows its keys from creation on.</param>
/// <param name="Jwks">The pasted static JWKS (public keys only), so an edit can start from it; null for other key sources.</param>
internal sealed record IdentityProviderView(
    string Name,
    string Issuer,
    IReadOnlyList<string> Audiences,
    string KeySource,
    bool AllowInsecureHttp,
    string ManagedBy,
    IdentityProviderKeyHealth? Keys,
    string? Jwks = null);
