using Amazon.S3;
using Berth.Registry.Blobs;
using Berth.Registry.Tests.Uploads;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// The chunked upload suite on the S3 store against a real S3-compatible server (s3rver from ./test.sh),
/// under this test's own key prefix: every replica is a new store instance on the same bucket.
/// </summary>
public sealed class S3ChunkedUploadTests : ChunkedUploadConformance
{
    private readonly IAmazonS3 s3 = TestBucket.FromEnvironment().CreateClient();
    private readonly S3BlobStoreOptions options = new()
    {
        Bucket = TestBucket.FromEnvironment().Bucket,
        Prefix = $"chunked/{Guid.NewGuid():N}/",
        PartSize = S3BlobStoreOptions.MinimumPartSize,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        s3.Dispose();
    }

    protected override (IUploadStaging Staging, IBlobStore Blobs) OpenStore() =>
        (new S3UploadStaging(s3, options, Metadata.ClaimProbe, Time), new S3BlobStore(s3, options, Metadata.ClaimProbe, Time));
}
