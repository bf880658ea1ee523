using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Registry.Content;

namespace Berth.Tests.Http.Registry;

/// <summary>Small registry client steps the endpoint tests share, each asserting its own success.</summary>
internal static class Oci
{
    public const string EmptyConfigDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    public static Uri Path(string path) => new(path, UriKind.Relative);

    public static string Repository(string prefix = "repo") => $"{prefix}/{Guid.NewGuid():N}";

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static Digest DigestOf(byte[] content, string algorithm = Digest.Sha256) => Digest.Compute(content, algorithm);

    /// <summary>Pushes a blob in one request (<c>POST ?digest=</c>) and returns its digest.</summary>
    public static async Task<Digest> PushBlobAsync(this HttpClient client, string repository, byte[] content, string algorithm = Digest.Sha256)
    {
        var digest = DigestOf(content, algorithm);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(Path($"/v2/{repository}/blobs/uploads/?digest={digest}"), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    public static async Task<HttpResponseMessage> PutManifestAsync(this HttpClient client, string repository, string reference, byte[] content, string mediaType)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await client.PutAsync(Path($"/v2/{repository}/manifests/{reference}"), body);
    }

    public static async Task<Digest> PushManifestAsync(this HttpClient client, string repository, string reference, byte[] content, string mediaType)
    {
        using var response = await client.PutManifestAsync(repository, reference, content, mediaType);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"manifest PUT answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Digest.Parse(Assert.Single(response.Headers.GetValues("Docker-Content-Digest")));
    }

    /// <summary>Pushes a config and one layer and returns an OCI image manifest referencing them.</summary>
    public static async Task<byte[]> PushImageAsync(this HttpClient client, string repository, string mediaType = Berth.Registry.Content.MediaTypes.OciManifest, string? subject = null)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"{Guid.NewGuid():N}\"}}");
        var layer = RandomBytes(512);
        var configDigest = await client.PushBlobAsync(repository, config);
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var docker = mediaType == Berth.Registry.Content.MediaTypes.DockerManifest;
        var configType = docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        var layerType = docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        var subjectJson = subject is null ? string.Empty : $",\"subject\":{subject}";
        return Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\"," +
            $"\"config\":{{\"mediaType\":\"{configType}\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}}," +
            $"\"layers\":[{{\"mediaType\":\"{layerType}\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]{subjectJson}}}");
    }

    /// <summary>A descriptor JSON object for manifest bytes.</summary>
    public static string Descriptor(string mediaType, byte[] content, string? extra = null) =>
        $"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{DigestOf(content)}\",\"size\":{content.Length}{(extra is null ? string.Empty : "," + extra)}}}";

    /// <summary>Asserts the response is an OCI error body with <paramref name="code"/> and returns its message.</summary>
    public static async Task<string> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var error = Assert.Single(document.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"response has no {name} header");

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, Path(path)) { Content = content };
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    /// <summary>Starts an upload session and returns its Location.</summary>
    public static async Task<string> StartUploadAsync(this HttpClient client, string repository)
    {
        using var response = await client.PostAsync(Path($"/v2/{repository}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public static ByteArrayContent Octets(byte[] content, string? contentRange = null)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (contentRange is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        return body;
    }

    /// <summary>Appends a query parameter to a Location that may already carry one.</summary>
    public static string WithQuery(string location, string query) => location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
}
