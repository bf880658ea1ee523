using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Berth.Data.Tests.Postgres;
using Berth.Storage.S3.Tests;

namespace Berth.Tests.Hosting;

/// <summary>
/// Two <c>berth serve</c> processes that share nothing but a PostgreSQL database and an S3 bucket
/// (s3rver and PostgreSQL from ./test.sh; each replica has a data folder of its own): an upload's
/// requests alternate between them, and a replica killed mid-chunk leaves an upload the other finishes.
/// </summary>
[Trait("Category", PostgresTestDatabase.Category)]
public sealed class S3ReplicaTests : IAsyncLifetime
{
    private const string Repository = "library/app";
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-replicas-" + Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase database = null!;
    private ServeProcess a = null!;
    private ServeProcess b = null!;
    private Dictionary<string, string> environment = null!;

    public async Task InitializeAsync()
    {
        var bucket = TestBucket.FromEnvironment();
        database = await PostgresTestDatabase.CreateAsync();
        environment = new Dictionary<string, string>
        {
            ["BERTH_STORAGE__METADATA"] = "postgres",
            ["BERTH_STORAGE__POSTGRES__CONNECTIONSTRING"] = database.ConnectionString,
            ["BERTH_STORAGE__BLOBS"] = "s3",
            ["BERTH_STORAGE__S3__BUCKET"] = bucket.Bucket,
            ["BERTH_STORAGE__S3__ENDPOINT"] = bucket.Endpoint,
            ["BERTH_STORAGE__S3__FORCEPATHSTYLE"] = "true",
            ["BERTH_STORAGE__S3__PREFIX"] = $"replicas/{Guid.NewGuid():N}/",
            ["BERTH_STORAGE__S3__ACCESSKEYID"] = bucket.AccessKeyId,
            ["BERTH_STORAGE__S3__SECRETACCESSKEY"] = bucket.SecretAccessKey,
            // A killed replica's chunk claim lapses after this; short, so the test need not wait 30 s.
            ["BERTH_REGISTRY__UPLOADCLAIMTIMEOUT"] = ClaimTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        var started = await Task.WhenAll(
            ServeProcess.StartAsync(Path.Combine(folder, "a"), environment),
            ServeProcess.StartAsync(Path.Combine(folder, "b"), environment));
        (a, b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Push_ChunksAlternatingBetweenReplicas_PullsWholeThroughTheOther()
    {
        var chunks = new[] { Bytes(1024, 1), Bytes(6 * 1024 * 1024 + 7, 2), Bytes(3, 3), Bytes(5000, 4) };
        var layer = chunks.SelectMany(c => c).ToArray();
        var location = await StartUploadAsync(a);
        long offset = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            var replica = i % 2 == 0 ? b : a;
            location = await PatchAsync(replica, location, offset, chunks[i]);
            offset += chunks[i].Length;
        }

        await CompleteAsync(a, location, Digest(layer));
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        using (var monolithic = await b.Client.PostAsync($"/v2/{Repository}/blobs/uploads/?digest={Digest(config)}", Octets(config)))
        {
            Assert.Equal(HttpStatusCode.Created, monolithic.StatusCode);
        }

        var manifest = Manifest(config, layer);
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/{Repository}/manifests/v1") { Content = new ByteArrayContent(manifest) })
        {
            put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
            using var response = await a.Client.SendAsync(put);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(manifest, await b.Client.GetByteArrayAsync($"/v2/{Repository}/manifests/v1"));
        Assert.Equal(layer, await b.Client.GetByteArrayAsync($"/v2/{Repository}/blobs/{Digest(layer)}"));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/{Repository}/blobs/{Digest(layer)}");
        ranged.Headers.Range = new RangeHeaderValue(5_000_000, 5_000_099);
        using var part = await b.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(layer.AsSpan(5_000_000, 100).ToArray(), await part.Content.ReadAsByteArrayAsync());
        Assert.False(Directory.Exists(Path.Combine(folder, "a", "blobs", "sha256")) && Directory.EnumerateFiles(Path.Combine(folder, "a", "blobs", "sha256"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Pull_WholeBlobFromTheBucket_ComesWithItsLengthAndTagAndRevalidates()
    {
        var layer = Bytes(3 * 1024 * 1024 + 5, 9);
        using (var monolithic = await a.Client.PostAsync($"/v2/{Repository}/blobs/uploads/?digest={Digest(layer)}", Octets(layer)))
        {
            Assert.Equal(HttpStatusCode.Created, monolithic.StatusCode);
        }

        using var whole = await b.Client.GetAsync($"/v2/{Repository}/blobs/{Digest(layer)}");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(layer.Length, whole.Content.Headers.ContentLength);
        Assert.Equal($"\"{Digest(layer)}\"", whole.Headers.ETag?.Tag);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        var body = await whole.Content.ReadAsByteArrayAsync();
        Assert.True(layer.AsSpan().SequenceEqual(body), "the pulled bytes differ from the pushed ones");

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/v2/{Repository}/blobs/{Digest(layer)}");
        revalidate.Headers.IfNoneMatch.Add(whole.Headers.ETag!);
        using var unchanged = await b.Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
    }

    [Fact]
    public async Task Push_ReplicaKilledMidChunk_OtherReplicaResumesAtTheLastAcknowledgedOffset()
    {
        var first = Bytes(2048, 5);
        var rest = Bytes(7 * 1024 * 1024, 6);
        var location = await StartUploadAsync(b);
        location = await PatchAsync(a, location, 0, first);

        // A's next chunk: half of it is sent, then A dies before the chunk ends.
        var sent = new TaskCompletionSource();
        var stalled = new StalledContent(rest.AsMemory(0, rest.Length / 2), sent);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = stalled };
        patch.Content.Headers.ContentRange = new ContentRangeHeaderValue(first.Length, first.Length + rest.Length - 1);
        using var client = new CancellationTokenSource();
        var interrupted = a.Client.SendAsync(patch, client.Token);
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await a.KillAsync();
        // The client notices a dead peer only when it writes again; it gives up on the request instead.
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => interrupted);

        using (var status = await b.Client.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{first.Length - 1}", status.Headers.GetValues("Range").Single());
        }

        location = await ResumeAsync(b, location, first.Length, rest);
        var layer = first.Concat(rest).ToArray();
        await CompleteAsync(b, location, Digest(layer));

        Assert.Equal(layer, await b.Client.GetByteArrayAsync($"/v2/{Repository}/blobs/{Digest(layer)}"));
    }

    private static async Task<string> StartUploadAsync(ServeProcess replica)
    {
        using var response = await replica.Client.PostAsync($"/v2/{Repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private static async Task<string> PatchAsync(ServeProcess replica, string location, long offset, byte[] chunk)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = Octets(chunk) };
        request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + chunk.Length - 1);
        using var response = await replica.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"PATCH at {offset} on port {replica.Port}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"0-{offset + chunk.Length - 1}", response.Headers.GetValues("Range").Single());
        return response.Headers.Location!.ToString();
    }

    /// <summary>
    /// PATCHes from the acknowledged offset until the dead replica's claim has lapsed: until then the
    /// answer is 416 at that same offset (bounded by a deadline, not a sleep of the claim timeout).
    /// </summary>
    private static async Task<string> ResumeAsync(ServeProcess replica, string location, long offset, byte[] chunk)
    {
        var deadline = DateTime.UtcNow + ClaimTimeout + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = Octets(chunk) };
            request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + chunk.Length - 1);
            using var response = await replica.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Assert.Equal($"0-{offset + chunk.Length - 1}", response.Headers.GetValues("Range").Single());
                return response.Headers.Location!.ToString();
            }

            Assert.True(response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable, $"PATCH at {offset}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal($"0-{offset - 1}", response.Headers.GetValues("Range").Single());
            Assert.True(DateTime.UtcNow < deadline, $"the killed replica's claim on the upload did not lapse within {ClaimTimeout}");
            await Task.Delay(100);
        }
    }

    private static async Task CompleteAsync(ServeProcess replica, string location, string digest)
    {
        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var response = await replica.Client.PutAsync($"{location}{separator}digest={digest}", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT on port {replica.Port}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static byte[] Manifest(byte[] config, byte[] layer) => Encoding.UTF8.GetBytes(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
        $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{Digest(config)}\",\"size\":{config.Length}}}," +
        $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{Digest(layer)}\",\"size\":{layer.Length}}}]}}");

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A body that sends its bytes, says so, then never ends (until the connection dies).</summary>
    private sealed class StalledContent(ReadOnlyMemory<byte> bytes, TaskCompletionSource sent) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
