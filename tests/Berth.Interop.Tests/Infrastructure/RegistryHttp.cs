using System.Net;
using System.Net.Http.Headers;
using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>The few raw OCI Distribution calls the interop tests make next to the real clients.</summary>
internal sealed class RegistryHttp : IDisposable
{
    private readonly HttpClient http;

    public RegistryHttp(Uri baseAddress) =>
        http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

    public HttpClient Client => http;

    /// <summary>Monolithic upload (POST then PUT ?digest=); returns the digest.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = Sha256.Of(content);
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        await ExpectAsync(start, HttpStatusCode.Accepted);
        var location = start.Headers.Location ?? throw new XunitException("upload POST answered without Location");
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(WithQuery(location, $"digest={Uri.EscapeDataString(digest)}"), body);
        await ExpectAsync(put, HttpStatusCode.Created);
        return digest;
    }

    public async Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await http.PutAsync($"v2/{repository}/manifests/{reference}", body);
    }

    public async Task<ManifestResponse> GetManifestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var type in MediaTypes.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new ManifestResponse(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            Header(response, "Docker-Content-Digest"),
            body);
    }

    public async Task<HttpStatusCode> HeadAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, path);
        foreach (var type in MediaTypes.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}\n{body}");
        }
    }

    /// <summary>Upload locations may be relative and may already carry a query (state tokens).</summary>
    public Uri WithQuery(Uri location, string query)
    {
        var absolute = location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
        var builder = new UriBuilder(absolute);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query : builder.Query.TrimStart('?') + "&" + query;
        return builder.Uri;
    }

    public Uri Absolute(Uri location) => location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);

    public void Dispose() => http.Dispose();
}
