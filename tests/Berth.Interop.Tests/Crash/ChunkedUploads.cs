using System.Net;
using System.Net.Http.Headers;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Crash;

/// <summary>Chunked blob uploads (POST session, PATCH with Content-Range, PUT ?digest=) over raw HTTP.</summary>
internal static class ChunkedUploads
{
    public const int ChunkSize = 4 * 1024 * 1024;

    public static async Task<string> PushAsync(RegistryHttp http, string repository, byte[] content)
    {
        var location = await StartAsync(http, repository);
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            location = await PatchAsync(http, location, content, offset, Math.Min(ChunkSize, content.Length - offset));
        }
        return await FinishAsync(http, location, content);
    }

    public static async Task<Uri> StartAsync(RegistryHttp http, string repository)
    {
        using var post = await http.Client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        await RegistryHttp.ExpectAsync(post, HttpStatusCode.Accepted);
        return http.Absolute(post.Headers.Location!);
    }

    /// <summary>Sends one chunk and checks the server acknowledges everything up to its end.</summary>
    public static async Task<Uri> PatchAsync(RegistryHttp http, Uri location, byte[] content, int offset, int length)
    {
        using var body = new ByteArrayContent(content, offset, length);
        using var patch = await SendAsync(http, location, body, offset);
        await RegistryHttp.ExpectAsync(patch, HttpStatusCode.Accepted);
        Assert.Equal($"0-{offset + length - 1}", RegistryHttp.Header(patch, "Range"));
        return http.Absolute(patch.Headers.Location!);
    }

    public static Task<HttpResponseMessage> SendAsync(RegistryHttp http, Uri location, HttpContent body, long offset)
    {
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var length = body.Headers.ContentLength!.Value;
        body.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
        return http.Client.SendAsync(request);
    }

    /// <summary>Closes the session with PUT ?digest= of the whole content; returns the digest.</summary>
    public static async Task<string> FinishAsync(RegistryHttp http, Uri location, byte[] content)
    {
        var digest = Sha256.Of(content);
        using var put = await http.Client.PutAsync(http.WithQuery(location, $"digest={Uri.EscapeDataString(digest)}"), null);
        await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
        return digest;
    }
}
