using Microsoft.IdentityModel.Protocols;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// Fetches discovery and JWKS documents with the injected <see cref="HttpClient"/>: https only unless the
/// provider allows http to a loopback host, no link-local or metadata address unless the provider allows
/// it (checked here on the URL, and again on the resolved address by <see cref="KeyFetchAddresses.ConnectAsync"/>
/// in the server's handler), bounded size. The <c>jwks_uri</c> a discovery document names comes through
/// here too, so it gets the same checks as the configured URL.
/// </summary>
internal sealed class BoundedDocumentRetriever(HttpClient httpClient, bool allowInsecureHttp, bool allowLinkLocal) : IDocumentRetriever
{
    private const int MaxDocumentBytes = 1024 * 1024;

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new KeySourceException($"refusing to fetch '{address}': not an absolute URL");
        }

        if (KeyFetchAddresses.Refusal(uri, allowInsecureHttp, allowLinkLocal) is { } refusal)
        {
            throw new KeySourceException($"refusing to fetch '{address}': {refusal}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Options.Set(KeyFetchAddresses.AllowLinkLocal, allowLinkLocal);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new KeySourceException($"GET {address} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new KeySourceException($"GET {address} returned more than {MaxDocumentBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new KeySourceException($"GET {address} returned more than {MaxDocumentBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
