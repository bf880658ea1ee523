using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Registry;
using Berth.Registry.Content;
using Berth.Registry.Uploads;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// How many times a push's bytes cross Berth on the S3 store (s3rver from ./test.sh), read from the
/// requests the SDK client really sends: once, whichever way the client pushes.
/// </summary>
public sealed class S3PushPathTests : IAsyncLifetime
{
    private const string Repository = "library/app";
    private const int Large = 6 * 1024 * 1024 + 123;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-push-tests", Guid.NewGuid().ToString("N"));
    private readonly TestBucket bucket = TestBucket.FromEnvironment();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<AmazonWebServiceRequest> sent = new();
    private readonly IAmazonS3 s3;
    private readonly S3BlobStoreOptions options;
    private MetadataStores metadata = null!;

    public S3PushPathTests()
    {
        s3 = bucket.CreateClient();
        ((AmazonS3Client)s3).BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request)
            {
                sent.Enqueue(request.Request);
            }
        };
        options = new S3BlobStoreOptions
        {
            Bucket = bucket.Bucket,
            Prefix = $"push/{Guid.NewGuid():N}/",
            PartSize = S3BlobStoreOptions.MinimumPartSize,
        };
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        metadata = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), time);
        await metadata.Lifecycle.MigrateAsync(Ct);
    }

    public Task DisposeAsync()
    {
        metadata.Dispose();
        s3.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CompleteAsync_OneChunkThisReplicaWrote_CopiesItServerSideWithoutReadingItBack()
    {
        // docker, podman and skopeo: POST, one PATCH with the whole layer, PUT ?digest=.
        var bytes = Bytes(Large, seed: 1);
        var digest = Digest.Compute(bytes);
        using var uploads = Service();
        var session = await uploads.StartAsync(Repository, Ct);
        Assert.Equal(UploadOutcome.Accepted, (await uploads.AppendAsync(Repository, session.Id, null, null, new MemoryStream(bytes), Ct)).Outcome);
        sent.Clear();

        var result = await uploads.CompleteAsync(Repository, session.Id, digest, null, null, null, Ct);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Single(sent.OfType<CopyObjectRequest>());
        Assert.Empty(sent.OfType<GetObjectRequest>());
        Assert.Empty(sent.OfType<UploadPartRequest>());
        Assert.Empty(sent.OfType<PutObjectRequest>());
        Assert.Equal(bytes, await ReadAsync(digest));
        Assert.Empty(await ListAsync($"{options.Prefix}uploads/"));
    }

    [Fact]
    public async Task AppendAsync_ChunkOfFiveParts_StoresEachPartOnceAndTheBlobWhole()
    {
        // Several parts are on the wire at once and their buffers are reused as the oldest is stored:
        // a part sent twice, skipped or sent from a refilled buffer would show in the numbers or the bytes.
        var bytes = Bytes(4 * S3BlobStoreOptions.MinimumPartSize + 77, seed: 21);
        var digest = Digest.Compute(bytes);
        using var uploads = Service();
        var session = await uploads.StartAsync(Repository, Ct);

        Assert.Equal(UploadOutcome.Accepted, (await uploads.AppendAsync(Repository, session.Id, null, null, new MemoryStream(bytes), Ct)).Outcome);
        var result = await uploads.CompleteAsync(Repository, session.Id, digest, null, null, null, Ct);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal([1, 2, 3, 4, 5], sent.OfType<UploadPartRequest>().Select(part => part.PartNumber ?? 0).Order());
        Assert.Equal(bytes, await ReadAsync(digest));
    }

    [Fact]
    public async Task CompleteAsync_ChunksWrittenOnTwoReplicas_ReadsEachStagedChunkBackOnce()
    {
        // Behind a load balancer the PATCHes alternate, so the replica that closes the upload has no
        // running hash: it reads the staged chunks back once, verifying them as it writes the blob.
        var chunks = new[] { Bytes(Large, seed: 7), Bytes(1000, seed: 8), Bytes(Large, seed: 9) };
        var whole = chunks.SelectMany(c => c).ToArray();
        var digest = Digest.Compute(whole);
        using var a = Service();
        using var b = Service();
        var session = await a.StartAsync(Repository, Ct);
        long offset = 0;
        foreach (var (chunk, replica) in chunks.Zip(new[] { a, b, a }))
        {
            offset = (await replica.AppendAsync(Repository, session.Id, offset, offset + chunk.Length - 1, new MemoryStream(chunk), Ct)).Size;
        }

        sent.Clear();

        var result = await b.CompleteAsync(Repository, session.Id, digest, null, null, null, Ct);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(3, sent.OfType<GetObjectRequest>().Count());
        Assert.Equal(whole, await ReadAsync(digest));
        Assert.Empty(await ListAsync($"{options.Prefix}uploads/"));
    }

    [Fact]
    public async Task CompleteAsync_OneChunkAnotherReplicaWrote_ReadsItBackOnceThenCopiesItServerSide()
    {
        var bytes = Bytes(Large, seed: 10);
        var digest = Digest.Compute(bytes);
        using var a = Service();
        using var b = Service();
        var session = await a.StartAsync(Repository, Ct);
        Assert.Equal(UploadOutcome.Accepted, (await a.AppendAsync(Repository, session.Id, null, null, new MemoryStream(bytes), Ct)).Outcome);
        sent.Clear();

        var result = await b.CompleteAsync(Repository, session.Id, digest, null, null, null, Ct);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Single(sent.OfType<GetObjectRequest>());
        Assert.Single(sent.OfType<CopyObjectRequest>());
        Assert.Empty(sent.OfType<UploadPartRequest>());
        Assert.Equal(bytes, await ReadAsync(digest));
    }

    [Fact]
    public async Task CompleteAsync_WholeBlobInTheClosingPut_WritesItOnceUnderItsDigestAndStagesNothing()
    {
        // containerd: POST, then PUT ?digest= with the whole layer as its body.
        var bytes = Bytes(Large, seed: 2);
        var digest = Digest.Compute(bytes);
        using var uploads = Service();
        var session = await uploads.StartAsync(Repository, Ct);
        sent.Clear();

        var result = await uploads.CompleteAsync(Repository, session.Id, digest, null, null, new MemoryStream(bytes), Ct);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(bytes.Length, result.Size);
        var written = sent.OfType<InitiateMultipartUploadRequest>().Select(r => r.Key)
            .Concat(sent.OfType<PutObjectRequest>().Select(r => r.Key))
            .Concat(sent.OfType<CopyObjectRequest>().Select(r => r.DestinationKey));
        Assert.Equal([$"{options.Prefix}blobs/sha256/{digest.Hex[..2]}/{digest.Hex}"], written);
        Assert.Empty(sent.OfType<GetObjectRequest>());
        Assert.Equal(bytes, await ReadAsync(digest));
        Assert.Null(await metadata.Uploads.GetUploadAsync(session.Id, Ct));
        Assert.Empty(await ListAsync($"{options.Prefix}uploads/"));
    }

    [Fact]
    public async Task CompleteAsync_WholeBlobInTheClosingPutWithTheWrongDigest_CommitsNothingAndEndsTheUpload()
    {
        var bytes = Bytes(Large, seed: 3);
        var claimed = Digest.Compute(Bytes(Large, seed: 4));
        using var uploads = Service();
        var session = await uploads.StartAsync(Repository, Ct);

        var result = await uploads.CompleteAsync(Repository, session.Id, claimed, null, null, new MemoryStream(bytes), Ct);

        Assert.Equal(UploadOutcome.DigestMismatch, result.Outcome);
        Assert.Empty(await ListAsync(options.Prefix));
        Assert.Null(await metadata.Uploads.GetUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task CommitStagingAsync_ChunkRewrittenAfterItWasHashed_CommitsNothing()
    {
        // A writer that lost its claim but still finished its write (a replica cut off from the database)
        // replaced the chunk after this replica hashed it: the copy must not carry those bytes.
        var bytes = Bytes(Large, seed: 5);
        var digest = Digest.Compute(bytes);
        var staging = new S3UploadStaging(s3, options, metadata.ClaimProbe, time);
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);
        await staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), null, Ct);
        var chunk = Assert.Single(await ListAsync($"{options.Prefix}uploads/{upload:N}/0"));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = chunk, InputStream = new MemoryStream(Bytes(Large, seed: 6)), UseChunkEncoding = false }, Ct);

        // The running hash saw the original bytes, so only the chunk's version (ETag) can tell.
        var committed = await staging.CommitStagingAsync(upload, digest, bytes.Length, digest, Ct);

        Assert.False(committed!.Committed);
        Assert.Empty(await ListAsync($"{options.Prefix}blobs/"));
    }

    [Fact]
    public async Task GetDownloadUriAsync_CommittedBlob_AsksTheBucketNothingAndTheUrlServesTheBytes()
    {
        // A redirected pull's 307: the link in the metadata store already says the blob is committed.
        var bytes = Bytes(1000, seed: 11);
        var digest = Digest.Compute(bytes);
        var store = new S3BlobStore(s3, options, metadata.ClaimProbe, time);
        Assert.True((await store.IngestAsync(new MemoryStream(bytes), digest, Ct)).Committed);
        sent.Clear();

        var url = await store.GetDownloadUriAsync(digest, TimeSpan.FromMinutes(5), Ct);

        Assert.Empty(sent);
        using var direct = new HttpClient();
        Assert.Equal(bytes, await direct.GetByteArrayAsync(url, Ct));
    }

    private BlobUploadService Service() =>
        new(metadata.Uploads, new S3UploadStaging(s3, options, metadata.ClaimProbe, time), new S3BlobStore(s3, options, metadata.ClaimProbe, time), metadata.Blobs, new RegistryOptions(), time);

    private async Task<byte[]> ReadAsync(Digest digest)
    {
        using var response = await s3.GetObjectAsync(options.Bucket, $"{options.Prefix}blobs/sha256/{digest.Hex[..2]}/{digest.Hex}", Ct);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        var response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = prefix }, Ct);
        keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
        return keys;
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
