using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Crash;

/// <summary>Its own collection: it kills and restarts its own server.</summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection
{
    public const string Name = "crash";
}

[Collection(CrashCollection.Name)]
public sealed class CrashRecoveryTests
{
    private const int MiB = 1024 * 1024;
    private const int ChunkSize = 4 * MiB;
    private const string Repository = "crash/test";

    [Fact]
    public async Task Serve_KilledDuringChunkedUpload_RestartServesFinishedBlobsAndHidesThePartialOne()
    {
        await using var data = TempDirectory.Create("crash");
        var dataDirectory = data.Combine("registry");
        var finished = new Dictionary<string, byte[]>();
        var server = await RegistryServer.StartAsync(dataDirectory, CancellationToken.None);
        byte[] manifest;
        byte[] interrupted;
        int acknowledged;
        try
        {
            using var http = new RegistryHttp(server.BaseAddress);
            var monolithic = RandomNumberGenerator.GetBytes(1 * MiB);
            finished[await http.PushBlobAsync(Repository, monolithic)] = monolithic;
            var chunked = RandomNumberGenerator.GetBytes(3 * ChunkSize + 12345);
            finished[await PushChunkedAsync(http, chunked)] = chunked;
            var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
            finished[await http.PushBlobAsync(Repository, config)] = config;
            manifest = ImageManifest(config, [monolithic, chunked]);
            using (var put = await http.PutManifestAsync(Repository, "v1", MediaTypes.OciManifest, manifest))
            {
                await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
            }

            // A 32 MiB upload: four chunks acknowledged, the fifth half sent when the server dies.
            interrupted = RandomNumberGenerator.GetBytes(8 * ChunkSize);
            acknowledged = 4 * ChunkSize;
            var location = await StartUploadAsync(http);
            for (var offset = 0; offset < acknowledged; offset += ChunkSize)
            {
                location = await PatchAsync(http, location, interrupted, offset, ChunkSize);
            }
            var stalling = new StallingContent(interrupted[acknowledged..(acknowledged + ChunkSize)], sendBefore: 3 * MiB);
            var inFlight = SendChunkAsync(http, location, stalling, acknowledged);
            await stalling.Sent.WaitAsync(TimeSpan.FromSeconds(30));
            await WaitForStagingToGrowAsync(dataDirectory, acknowledged);

            await server.KillAsync();

            stalling.Release();
            await Assert.ThrowsAnyAsync<Exception>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await server.DisposeAsync();
        }

        server = await server.RestartAsync(CancellationToken.None);
        await using var restarted = server;
        using var after = new RegistryHttp(restarted.BaseAddress);
        foreach (var (digest, bytes) in finished)
        {
            using var blob = await after.Client.GetAsync($"v2/{Repository}/blobs/{digest}");
            await RegistryHttp.ExpectAsync(blob, HttpStatusCode.OK);
            Assert.Equal(digest, Sha256.Of(await blob.Content.ReadAsByteArrayAsync()));
        }
        var served = await after.GetManifestAsync(Repository, "v1");
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal(manifest, served.Body);

        Assert.Equal(HttpStatusCode.NotFound, await after.HeadAsync($"v2/{Repository}/blobs/{Sha256.Of(interrupted)}"));
        Assert.Equal(HttpStatusCode.NotFound, await after.HeadAsync($"v2/{Repository}/blobs/{Sha256.Of(interrupted.AsSpan(0, acknowledged))}"));

        var stored = StoredBlobs.Walk(dataDirectory);
        Assert.All(stored, blob => Assert.Equal(blob.NamedDigest, blob.ActualDigest));
        var storedDigests = stored.Select(b => b.NamedDigest).ToHashSet();
        Assert.Superset(finished.Keys.ToHashSet(), storedDigests);
        Assert.DoesNotContain(Sha256.Of(interrupted), storedDigests);

        // The store is not wedged: the interrupted content can be pushed again whole.
        var again = await after.PushBlobAsync(Repository, interrupted);
        Assert.Equal(HttpStatusCode.OK, await after.HeadAsync($"v2/{Repository}/blobs/{again}"));
    }

    private static async Task<string> PushChunkedAsync(RegistryHttp http, byte[] content)
    {
        var location = await StartUploadAsync(http);
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            location = await PatchAsync(http, location, content, offset, Math.Min(ChunkSize, content.Length - offset));
        }
        var digest = Sha256.Of(content);
        using var put = await http.Client.PutAsync(http.WithQuery(location, $"digest={Uri.EscapeDataString(digest)}"), null);
        await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
        return digest;
    }

    private static async Task<Uri> StartUploadAsync(RegistryHttp http)
    {
        using var post = await http.Client.PostAsync($"v2/{Repository}/blobs/uploads/", null);
        await RegistryHttp.ExpectAsync(post, HttpStatusCode.Accepted);
        return http.Absolute(post.Headers.Location!);
    }

    private static async Task<Uri> PatchAsync(RegistryHttp http, Uri location, byte[] content, int offset, int length)
    {
        using var body = new ByteArrayContent(content, offset, length);
        using var patch = await SendChunkAsync(http, location, body, offset);
        await RegistryHttp.ExpectAsync(patch, HttpStatusCode.Accepted);
        Assert.Equal($"0-{offset + length - 1}", RegistryHttp.Header(patch, "Range"));
        return http.Absolute(patch.Headers.Location!);
    }

    private static Task<HttpResponseMessage> SendChunkAsync(RegistryHttp http, Uri location, HttpContent body, int offset)
    {
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var length = body.Headers.ContentLength!.Value;
        body.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
        return http.Client.SendAsync(request);
    }

    /// <summary>
    /// Bounded wait until some staging file outside <c>blobs/</c> holds more than the
    /// acknowledged bytes: the server is writing the in-flight chunk, so the kill lands in
    /// the middle of a write. A server that buffers whole chunks in memory fails here.
    /// </summary>
    private static async Task WaitForStagingToGrowAsync(string dataDirectory, long acknowledged)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var growing = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}blobs{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Any(f => new FileInfo(f).Length > acknowledged);
            if (growing)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"no staging file under {dataDirectory} grew past the {acknowledged} acknowledged bytes while a chunk was in flight");
    }

    private static byte[] ImageManifest(byte[] config, byte[][] layers) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
        ["layers"] = new JsonArray([.. layers.Select(l => Descriptor("application/vnd.oci.image.layer.v1.tar", l))]),
    }.ToJsonString());

    private static JsonObject Descriptor(string mediaType, byte[] content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = Sha256.Of(content),
        ["size"] = content.Length,
    };
}
