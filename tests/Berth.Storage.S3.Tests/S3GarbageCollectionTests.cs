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
