using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>A JWKS document fetched from a URL.</summary>
internal sealed class JwksUrlKeySource(string jwksUrl, IDocumentRetriever retriever) : IKeySource
{
    public string Description => $"jwksUrl {jwksUrl}";

    public bool IsRefreshable => true;

    public async Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var json = await retriever.GetDocumentAsync(jwksUrl, cancellationToken);
        try
        {
            return SigningKeys.Parse(json);
        }
        catch (ArgumentException e)
        {
            throw new KeySourceException($"{jwksUrl} did not return a JWKS document: {e.Message}", e);
        }
    }
}
