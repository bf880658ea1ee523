using Amazon.S3;
using Amazon.S3.Model;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Berth.Registry.Tests.Blobs;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// The blob store conformance suite on the S3 store against a real S3-compatible server (s3rver from
/// ./test.sh), each test under its own key prefix, with garbage collection's claims in a real SQLite
/// metadata store; plus what only the S3 store has.
/// </summary>
public sealed class S3BlobStoreConformanceTests : BlobStoreConformance
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-tests", Guid.NewGuid().ToString("N"));
    private readonly TestBucket bucket = TestBucket.FromEnvironment();
    private readonly IAmazonS3 s3;
    private readonly S3BlobStoreOptions options;
    private MetadataStores metadata = null!;

    public S3BlobStoreConformanceTests()
    {
        s3 = bucket.CreateClient();
        options = new S3BlobStoreOptions
        {
            Bucket = bucket.Bucket,
            Prefix = $"tests/{Guid.NewGuid():N}/",
            PartSize = S3BlobStoreOptions.MinimumPartSize,
            ClaimWait = TimeSpan.FromSeconds(30),
        };
    }

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "metadata.db");
        metadata = SqliteMetadata.Open(path, TimeProvider.System);
        await metadata.Lifecycle.MigrateAsync(Ct);
    }

    public override Task DisposeAsync()
    {
        metadata.Dispose();
        s3.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CommitStagingAsync_GarbageCollectionDeletedTheBytesMidCommit_WritesThemAgain()
    {
        // The one interleaving a time check alone cannot catch: a run whose HEAD saw the old object
        // deletes it just after the commit wrote it. The run holds its claim throughout, so the commit
        // waits for the claim to end, finds its bytes gone and writes them again.
        var bytes = Bytes(1000, seed: 31);
        var digest = Digest.Compute(bytes);
        var store = Open();
        var upload = Guid.NewGuid();
        await store.Staging.CreateStagingAsync(upload, Ct);
        await store.Staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), null, Ct);
        var claim = await ClaimAsync(digest);

        var commit = store.Staging.CommitStagingAsync(upload, digest, bytes.Length, null, Ct);
        var key = $"{options.Prefix}blobs/sha256/{digest.Hex[..2]}/{digest.Hex}";
        await WaitUntilAsync(async () => await store.Blobs.StatAsync(digest, Ct) is not null);
        Assert.False(commit.IsCompleted);
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = key }, Ct);
        await claim.DisposeAsync();
        await commit.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(bytes, await ReadAllAsync(Open(), digest));
    }

    [Fact]
    public async Task IngestAsync_GarbageCollectionDeletedTheBytesMidCommit_FailsSoNothingIsLinked()
    {
        var bytes = Bytes(1000, seed: 32);
        var digest = Digest.Compute(bytes);
        var store = Open();
        var claim = await ClaimAsync(digest);

        var ingest = store.Blobs.IngestAsync(new MemoryStream(bytes), digest, Ct);
        await WaitUntilAsync(async () => await store.Blobs.StatAsync(digest, Ct) is not null);
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = $"{options.Prefix}blobs/sha256/{digest.Hex[..2]}/{digest.Hex}" }, Ct);
        await claim.DisposeAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => ingest.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("garbage collection", error.Message, StringComparison.Ordinal);
    }

    protected override StoreUnderTest Open()
    {
        // A new client per instance, as a new replica would have.
        var client = bucket.CreateClient();
        return new StoreUnderTest(new S3BlobStore(client, options, metadata.ClaimProbe, Time), new S3UploadStaging(client, options, metadata.ClaimProbe, Time), new S3BlobStore(client, options, metadata.ClaimProbe, Time));
    }

    protected override async Task<IAsyncDisposable> ClaimAsync(Digest digest)
    {
        Assert.True(await metadata.GcCoordination.TryClaimBlobAsync(digest, Ct));
        return new Claim(metadata.GcCoordination, digest);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(10);
        }
    }

    private sealed class Claim(IGcCoordinationStore store, Digest digest) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await store.ReleaseBlobClaimAsync(digest, CancellationToken.None);
    }
}
