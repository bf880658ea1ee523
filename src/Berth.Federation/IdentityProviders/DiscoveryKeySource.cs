using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// OIDC discovery: fetches the configuration document and its <c>jwks_uri</c> with IdentityModel's
/// <see cref="OpenIdConnectConfigurationRetriever"/> and refuses the keys when the discovered issuer is
/// not the configured one.
/// </summary>
internal sealed class DiscoveryKeySource(string discoveryUrl, string issuer, IDocumentRetriever retriever) : IKeySource
{
    public string Description => $"discovery {discoveryUrl}";

    public bool IsRefreshable => true;

    public async Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(discoveryUrl, retriever, cancellationToken);
        if (!string.Equals(configuration.Issuer, issuer, StringComparison.Ordinal))
        {
            throw new KeySourceException(
                $"discovery document {discoveryUrl} names issuer '{configuration.Issuer}', expected '{issuer}'; its keys are refused");
        }

        if (configuration.JsonWebKeySet is null)
        {
            throw new KeySourceException($"discovery document {discoveryUrl} has no usable jwks_uri");
        }

        return SigningKeys.Filter(configuration.JsonWebKeySet.Keys);
    }
}
