using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Crash;

/// <summary>Its own collection: it kills and restarts its own server.</summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection
{
    public const string Name = "crash";
}

[Collection(CrashCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;
    private const int ChunkSize = ChunkedUploads.ChunkSize;
    private const string Repository = "crash/test";

    [Fact]
    public async Task Serve_KilledDuringChunkedUpload_RestartServesFinishedBlobsAndHidesThePartialOne()
    {
        await using var data = TempDirectory.Create("crash");
        var dataDirectory = data.Combine("registry");
        var finished = new Dictionary<string, byte[]>();
        var server = await RegistryServer.StartAsync(dataDirectory, CancellationToken.None);
        byte[] manifest;
        InterruptedUpload interrupted;
        try
        {
            using var http = new RegistryHttp(server.BaseAddress);
            var monolithic = RandomNumberGenerator.GetBytes(1 * MiB);
            finished[await http.PushBlobAsync(Repository, monolithic)] = monolithic;
            var chunked = RandomNumberGenerator.GetBytes(3 * ChunkSize + 12345);
            finished[await ChunkedUploads.PushAsync(http, Repository, chunked)] = chunked;
            var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
            finished[await http.PushBlobAsync(Repository, config)] = config;
            manifest = ImageManifest(config, [monolithic, chunked]);
            using (var put = await http.PutManifestAsync(Repository, "v1", MediaTypes.OciManifest, manifest))
            {
                await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
            }

            interrupted = await KillDuringChunkAsync(server, http, dataDirectory);
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

        Assert.Equal(HttpStatusCode.NotFound, await after.HeadAsync($"v2/{Repository}/blobs/{Sha256.Of(interrupted.Content)}"));
        Assert.Equal(HttpStatusCode.NotFound, await after.HeadAsync($"v2/{Repository}/blobs/{Sha256.Of(interrupted.Content.AsSpan(0, interrupted.Acknowledged))}"));

        var stored = StoredBlobs.Walk(dataDirectory);
        Assert.All(stored, blob => Assert.Equal(blob.NamedDigest, blob.ActualDigest));
        var storedDigests = stored.Select(b => b.NamedDigest).ToHashSet();
        Assert.Superset(finished.Keys.ToHashSet(), storedDigests);
        Assert.DoesNotContain(Sha256.Of(interrupted.Content), storedDigests);

        // The store is not wedged: the interrupted content can be pushed again whole.
        var again = await after.PushBlobAsync(Repository, interrupted.Content);
        Assert.Equal(HttpStatusCode.OK, await after.HeadAsync($"v2/{Repository}/blobs/{again}"));
    }

    [Fact]
    public async Task Serve_KilledDuringChunkedUpload_SessionResumesFromTheOffsetItReportsOrIsGone()
    {
        await using var data = TempDirectory.Create("crash");
        var dataDirectory = data.Combine("registry");
        var server = await RegistryServer.StartAsync(dataDirectory, CancellationToken.None);
        InterruptedUpload interrupted;
        try
        {
            using var http = new RegistryHttp(server.BaseAddress);
            interrupted = await KillDuringChunkAsync(server, http, dataDirectory);
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using var restarted = await server.RestartAsync(CancellationToken.None);
        using var after = new RegistryHttp(restarted.BaseAddress);
        using var status = await after.Client.GetAsync(interrupted.SessionPath);
        if (status.StatusCode == HttpStatusCode.NotFound)
        {
            // Losing the session is allowed: the client starts over. Nothing partial is visible.
            output.WriteLine("upload session is gone after the restart");
            Assert.Contains("\"errors\"", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return;
        }
        await RegistryHttp.ExpectAsync(status, HttpStatusCode.NoContent);
        var range = RegistryHttp.Header(status, "Range") ?? throw new Xunit.Sdk.XunitException("upload status without Range");
        var resumeAt = int.Parse(range.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture) + 1;
        Assert.InRange(resumeAt, 1, interrupted.Acknowledged + (3 * MiB));
        output.WriteLine($"resuming at {resumeAt} of {interrupted.Content.Length} bytes ({interrupted.Acknowledged} were acknowledged)");

        // Resume exactly where the server says it is; the digest check at PUT proves the
        // staged bytes before that offset are the ones that were sent.
        var location = after.Absolute(status.Headers.Location ?? new Uri(interrupted.SessionPath, UriKind.Relative));
        for (var offset = resumeAt; offset < interrupted.Content.Length; offset += ChunkSize)
        {
            location = await ChunkedUploads.PatchAsync(after, location, interrupted.Content, offset, Math.Min(ChunkSize, interrupted.Content.Length - offset));
        }
        var digest = await ChunkedUploads.FinishAsync(after, location, interrupted.Content);

        using var blob = await after.Client.GetAsync($"v2/{Repository}/blobs/{digest}");
        await RegistryHttp.ExpectAsync(blob, HttpStatusCode.OK);
        Assert.Equal(digest, Sha256.Of(await blob.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>
    /// Uploads four 4 MiB chunks of a 32 MiB blob (acknowledged), sends 3 MiB of the fifth,
    /// and SIGKILLs the server while that request is in flight.
    /// </summary>
    private static async Task<InterruptedUpload> KillDuringChunkAsync(RegistryServer server, RegistryHttp http, string dataDirectory)
    {
        var content = RandomNumberGenerator.GetBytes(8 * ChunkSize);
        var acknowledged = 4 * ChunkSize;
        var location = await ChunkedUploads.StartAsync(http, Repository);
        for (var offset = 0; offset < acknowledged; offset += ChunkSize)
        {
            location = await ChunkedUploads.PatchAsync(http, location, content, offset, ChunkSize);
        }
        var stalling = new StallingContent(content[acknowledged..(acknowledged + ChunkSize)], sendBefore: 3 * MiB);
        var inFlight = ChunkedUploads.SendAsync(http, location, stalling, acknowledged);
        await stalling.Sent.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForStagingToGrowAsync(dataDirectory, acknowledged);

        await server.KillAsync();

        stalling.Release();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(30)));
        return new InterruptedUpload(location.PathAndQuery, content, acknowledged);
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
