using Amazon.S3;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Registry;
using Berth.Registry.Content;
using Berth.Registry.GarbageCollection;
using Berth.Registry.Uploads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// Garbage collection and upload expiry, unchanged, on a bucket: the collector pages through the S3
/// inventory and removes what nothing holds; idle uploads lose their staged chunk objects.
/// </summary>
public sealed class S3GarbageCollectionTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-gc-tests", Guid.NewGuid().ToString("N"));
    private readonly TestBucket bucket = TestBucket.FromEnvironment();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly S3BlobStoreOptions options;
    private readonly IAmazonS3 s3;
    private MetadataStores metadata = null!;
    private S3BlobStore blobs = null!;
    private S3UploadStaging staging = null!;

    public S3GarbageCollectionTests()
    {
        s3 = bucket.CreateClient();
        options = new S3BlobStoreOptions { Bucket = bucket.Bucket, Prefix = $"gc-tests/{Guid.NewGuid():N}/", PartSize = S3BlobStoreOptions.MinimumPartSize };
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "metadata.db");
        metadata = SqliteMetadata.Open(path, time);
        await metadata.Lifecycle.MigrateAsync(Ct);
        var claims = metadata.ClaimProbe;
        blobs = new S3BlobStore(s3, options, claims, time);
        staging = new S3UploadStaging(s3, options, claims, time);
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
    public async Task RunAsync_OrphanAndLinkedBlobsInTheBucket_DeletesOnlyTheOrphan()
    {
        var orphan = await IngestAsync([1, 2, 3]);
        var kept = await IngestAsync([4, 5]);
        await metadata.Blobs.LinkBlobAsync("library/app", kept, 2, Ct);
        time.Advance(TimeSpan.FromHours(2));
        var collector = new GarbageCollector(metadata.GcCandidates, metadata.GcCoordination, blobs, new GarbageCollectionOptions { GracePeriod = TimeSpan.FromHours(1), PageSize = 1 }, time, NullLogger<GarbageCollector>.Instance);

        // The link is old and no manifest references it, so a run drops it: re-link it just before.
        await metadata.Blobs.LinkBlobAsync("library/app", kept, 2, Ct);
        var report = await collector.RunAsync(new GarbageCollectionRequest(DryRun: false, DeleteUntagged: false), Ct);

        Assert.NotNull(report);
        Assert.Equal(1, report.BlobsDeleted);
        Assert.Equal(3, report.BytesFreed);
        Assert.Null(await blobs.StatAsync(orphan, Ct));
        Assert.Equal(2, await blobs.StatAsync(kept, Ct));
    }

    [Fact]
    public async Task ExpireIdleAsync_UploadIdleLongerThanTheExpiry_RemovesItsStagedChunks()
    {
        using var uploads = new BlobUploadService(metadata.Uploads, staging, blobs, metadata.Blobs, new RegistryOptions { UploadExpiry = TimeSpan.FromHours(1) }, time);
        var session = await uploads.StartAsync("library/app", Ct);
        Assert.Equal(Registry.Uploads.UploadOutcome.Accepted, (await uploads.AppendAsync("library/app", session.Id, 0, 2, new MemoryStream([7, 8, 9]), Ct)).Outcome);
        Assert.NotEmpty(await KeysAsync($"{options.Prefix}uploads/"));

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await uploads.ExpireIdleAsync(Ct));

        Assert.Empty(await KeysAsync($"{options.Prefix}uploads/"));
        Assert.Null(await uploads.FindAsync("library/app", session.Id, Ct));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_OneChunkUploadCommittedAfterTheCutoff_KeepsTheCopiedBlob()
    {
        // docker's push (one PATCH with the whole blob) is committed by a server-side copy that carries no
        // commit stamp of Berth's: the age check reads the copy's Last-Modified, in whole seconds, on the
        // S3 server's clock (this machine's here, as a run's cutoff is on the replica's). A cutoff a moment
        // into a second must not make a blob committed later in that second look older than the cutoff.
        // A commit that ends in the next second cannot show that, so it is tried again (a bounded number
        // of times) until one copy's Last-Modified reads earlier than the cutoff that preceded it.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cutoff = DateTimeOffset.UtcNow;
            var digest = await CommitOneChunkAsync(Bytes(3000, seed: attempt));

            Assert.Null(await blobs.DeleteIfUnmodifiedAsync(digest, cutoff, Ct));
            var head = await blobs.HeadAsync(new S3Layout(options.Prefix).Blob(digest), Ct);
            Assert.Equal(3000, head?.ContentLength);
            if (head?.LastModified < cutoff.UtcDateTime)
            {
                break;
            }
        }
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_OneChunkUploadCommittedBeforeTheCutoff_DeletesTheCopiedBlob()
    {
        var digest = await CommitOneChunkAsync(Bytes(3000, seed: 2));
        var cutoff = DateTimeOffset.UtcNow.AddSeconds(2);

        Assert.Equal(3000, await blobs.DeleteIfUnmodifiedAsync(digest, cutoff, Ct));
        Assert.Null(await blobs.StatAsync(digest, Ct));
    }

    /// <summary>An upload staged in one chunk by this instance and committed (the copy path), on the real clock as in production.</summary>
    private async Task<Digest> CommitOneChunkAsync(byte[] bytes)
    {
        var staging = new S3UploadStaging(s3, options, metadata.ClaimProbe, TimeProvider.System);
        var digest = Digest.Compute(bytes);
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);
        using var hasher = Digest.CreateHasher(digest.Algorithm);
        Assert.Equal(bytes.Length, await staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), hasher, Ct));
        var hashed = Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset());
        var result = await staging.CommitStagingAsync(upload, digest, bytes.Length, hashed, Ct);
        Assert.True(result?.Committed);
        return digest;
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<Digest> IngestAsync(byte[] bytes)
    {
        var result = await blobs.IngestAsync(new MemoryStream(bytes), Digest.Compute(bytes), Ct);
        Assert.True(result.Committed);
        return result.Actual;
    }

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in S3Listing.ListAsync(s3, options.Bucket, prefix, Ct))
        {
            keys.Add(item.Key);
        }

        return keys;
    }
}
