using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>Where one identity provider's signing keys come from.</summary>
internal interface IKeySource
{
    /// <summary>Human description for key health, e.g. <c>discovery https://…</c>.</summary>
    string Description { get; }

    /// <summary>False for a pasted JWKS: fetched once, never refreshed and never stale.</summary>
    bool IsRefreshable { get; }

    /// <summary>Fetches the current keys; throws <see cref="KeySourceException"/> (or I/O errors) on failure.</summary>
    Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken);
}
