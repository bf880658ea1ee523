namespace Berth.Federation.IdentityProviders;

/// <summary>
/// The state of one identity provider's key cache, for the admin API and <c>/healthz</c>.
/// </summary>
/// <param name="IdentityProvider">The provider's name.</param>
/// <param name="Issuer">The provider's issuer.</param>
/// <param name="Source">Where keys come from, e.g. <c>discovery https://…</c>.</param>
/// <param name="LastFetchAttempt">When a fetch was last started, if ever.</param>
/// <param name="LastSuccessfulFetch">When keys were last fetched successfully, if ever.</param>
/// <param name="KeyIds">The <c>kid</c>s of the cached keys (keys without a kid show as empty strings).</param>
/// <param name="LastError">The error of the last fetch when it failed; null after a success.</param>
/// <param name="KeysUsable">Whether cached keys currently verify tokens (present and not older than the stale limit).</param>
public sealed record IdentityProviderKeyHealth(
    string IdentityProvider,
    string Issuer,
    string Source,
    DateTimeOffset? LastFetchAttempt,
    DateTimeOffset? LastSuccessfulFetch,
    IReadOnlyList<string> KeyIds,
    string? LastError,
    bool KeysUsable);
