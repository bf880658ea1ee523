using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Storage.S3.Tests;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.S3.Radosgw.Tests;

/// <summary>
/// One test's corner of the bucket that BERTH_TEST_S3 names: its own key prefix, the client Berth's stores
/// use (every request it sends is recorded, and a test can act just before one goes out), a second client
/// standing for another party, and a real SQLite metadata store for garbage collection's claims.
/// </summary>
internal sealed class ServerBucket : IAsyncDisposable
{
    public static readonly CancellationToken Ct = CancellationToken.None;

    private readonly string folder;
    private readonly ConcurrentQueue<AmazonWebServiceRequest> sent = new();

    private ServerBucket(TestBucket bucket, string folder, MetadataStores metadata, FakeTimeProvider time)
    {
        this.folder = folder;
        Time = time;
        BerthClient = bucket.CreateClient();
        Other = bucket.CreateClient();
        Metadata = metadata;
        Options = new S3BlobStoreOptions
        {
            Bucket = bucket.Bucket,
            Prefix = $"radosgw/{Guid.NewGuid():N}/",
            PartSize = S3BlobStoreOptions.MinimumPartSize,
        };
        ((AmazonS3Client)BerthClient).BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request)
            {
                sent.Enqueue(request.Request);
                BeforeSend?.Invoke(request.Request);
            }
        };
    }

    /// <summary>The client Berth's stores are built on.</summary>
    public IAmazonS3 BerthClient { get; }

    /// <summary>Another client on the same bucket: a replica that lost its claim, or the test looking on.</summary>
    public IAmazonS3 Other { get; }

    public S3BlobStoreOptions Options { get; }

    public MetadataStores Metadata { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Called synchronously just before Berth's client sends each request.</summary>
    public Action<AmazonWebServiceRequest>? BeforeSend { get; set; }

    public IEnumerable<AmazonWebServiceRequest> Sent => sent;

    public static async Task<ServerBucket> CreateAsync()
    {
        var bucket = TestBucket.FromEnvironment();
        var folder = Path.Combine(Path.GetTempPath(), "berth-s3-radosgw-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var metadata = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), time);
        await metadata.Lifecycle.MigrateAsync(Ct);
        return new ServerBucket(bucket, folder, metadata, time);
    }

    public S3BlobStore Blobs() => new(BerthClient, Options, Metadata.ClaimProbe, Time);

    public S3UploadStaging Staging() => new(BerthClient, Options, Metadata.ClaimProbe, Time);

    public async Task<List<string>> KeysAsync(string under)
    {
        var response = await Other.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Options.Bucket, Prefix = Options.Prefix + under }, Ct);
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    /// <summary>Multipart uploads begun under this test's prefix and neither completed nor aborted (their parts take space).</summary>
    public async Task<List<string>> UnfinishedMultipartUploadsAsync()
    {
        var response = await Other.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Options.Bucket, Prefix = Options.Prefix }, Ct);
        return (response.MultipartUploads ?? []).Select(u => $"{u.Key} {u.UploadId}").ToList();
    }

    public static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public ValueTask DisposeAsync()
    {
        Metadata.Dispose();
        BerthClient.Dispose();
        Other.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
