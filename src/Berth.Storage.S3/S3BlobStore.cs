using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Storage.S3;

/// <summary>
/// Committed blobs as objects in an S3 bucket (layout in <see cref="S3Layout"/>), shared by every
/// replica. An object appears under a digest's key only after its bytes were hashed and matched: a
/// small body is hashed before its one PutObject, a larger one is sent as a multipart upload that is
/// completed only once the digest matched. Garbage collection's age check reads the object's
/// Last-Modified, which AWS S3 (and Ceph RGW, s3rver) sets when the object is written, by a PUT, a
/// completed multipart upload or a server-side copy alike: on the S3 server's clock, which must therefore
/// agree with the replicas' clocks to well within <c>registry.gcGracePeriod</c> (docs/scale-out.md). The
/// objects Berth writes itself also carry a commit stamp on Berth's clock; the one-chunk commit, a
/// server-side copy (<see cref="S3UploadStaging"/>), does not, because adding metadata to a copy makes some
/// servers rewrite the whole object.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IBlobInventory, IBlobDownloadUrls
{
    /// <summary>User metadata holding the commit time in Unix milliseconds, on Berth's clock.</summary>
    internal const string CommittedAtMetadata = "berth-committed";

    private readonly IAmazonS3 s3;
    private readonly string bucket;
    private readonly S3Layout layout;
    private readonly S3ObjectWriter writer;
    private readonly SweepGuard guard;
    private readonly TimeProvider time;
    private readonly PresignedUrls presigned;

    public S3BlobStore(IAmazonS3 s3, S3BlobStoreOptions options, IBlobClaimProbe claims, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.s3 = s3;
        bucket = options.Bucket;
        layout = new S3Layout(options.Prefix);
        writer = new S3ObjectWriter(s3, bucket, options.PartSize);
        guard = new SweepGuard(claims, options.ClaimWait);
        this.time = time;
        presigned = new PresignedUrls(time, PresignAsync);
    }

    public async Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken) =>
        (await HeadAsync(layout.Blob(digest), cancellationToken))?.ContentLength;

    public async Task<BlobContent?> GetAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = layout.Blob(digest);
        var head = await HeadAsync(key, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var size = head.ContentLength;
        return new BlobContent(size, null, _ => Task.FromResult<Stream>(new S3ReadStream(s3, bucket, key, size)));
    }

    public Task<Uri> GetDownloadUriAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) =>
        presigned.GetAsync(layout.Blob(digest), lifetime);

    /// <remarks>
    /// When garbage collection deleted the very digest while this commit wrote it (see
    /// <see cref="SweepGuard"/>), the body is gone and cannot be written again: the ingest fails with
    /// an error and nothing is linked, so the client's retry pushes it again.
    /// </remarks>
    public async Task<IngestResult> IngestAsync(Stream content, Digest expected, CancellationToken cancellationToken)
    {
        using var hasher = Digest.CreateHasher(expected.Algorithm);
        var actual = expected;
        var key = layout.Blob(expected);
        var (written, size, _) = await writer.WriteAsync(
            key,
            content,
            hasher,
            _ =>
            {
                actual = Digest.FromHash(expected.Algorithm, hasher.GetHashAndReset());
                return actual == expected;
            },
            CommitMetadata(),
            cancellationToken);
        if (!written)
        {
            return new IngestResult(false, actual, size);
        }

        if (!await guard.SurvivedAsync(expected, ct => ExistsAsync(key, ct), cancellationToken))
        {
            throw new IOException($"{expected} was deleted by garbage collection while it was being pushed; push it again");
        }

        return new IngestResult(true, expected, size);
    }

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = layout.Blob(digest);
        if (!await ExistsAsync(key, cancellationToken))
        {
            return false;
        }

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        return true;
    }

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in S3Listing.ListAsync(s3, bucket, layout.BlobsPrefix, cancellationToken))
        {
            if (layout.TryParseBlob(item.Key, out var digest))
            {
                // The listing has S3's Last-Modified only; the delete re-checks with the commit stamp and the
                // Last-Modified's whole-second truncation.
                yield return new StoredBlob(digest, item.Size ?? 0, ToOffset(item.LastModified));
            }
        }
    }

    /// <remarks>
    /// The caller (garbage collection) holds the digest's claim in the metadata store from before this
    /// HEAD until after the DELETE; that claim, not this check alone, is what keeps a concurrent commit's
    /// bytes (see <see cref="SweepGuard"/>).
    /// </remarks>
    public async Task<long?> DeleteIfUnmodifiedAsync(Digest digest, DateTimeOffset modifiedBefore, CancellationToken cancellationToken)
    {
        var key = layout.Blob(digest);
        var head = await HeadAsync(key, cancellationToken);
        if (head is null || LastCommitted(head) >= modifiedBefore)
        {
            return null;
        }

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        return head.ContentLength;
    }

    /// <summary>A presigned GET of the object, over the endpoint's own scheme (http for a loopback test server).</summary>
    private async Task<Uri> PresignAsync(string key, DateTimeOffset expires)
    {
        var serviceUrl = (s3.Config as AmazonS3Config)?.ServiceURL;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expires.UtcDateTime,
            Protocol = serviceUrl is not null && serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(await s3.GetPreSignedURLAsync(request));
    }

    internal Dictionary<string, string> CommitMetadata() =>
        new() { [CommittedAtMetadata] = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) };

    internal async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        await HeadAsync(key, cancellationToken) is not null;

    internal async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The later of the commit stamp and S3's Last-Modified: a blob counts as old only when both say so.
    /// Last-Modified comes in whole seconds (an HTTP date), truncated: an object written at 12:00:00.900
    /// reads 12:00:00, so the write is taken to be as late as the end of that second.
    /// </summary>
    private static DateTimeOffset LastCommitted(GetObjectMetadataResponse head)
    {
        var modified = ToOffset(head.LastModified) + TimeSpan.FromSeconds(1);
        var stamp = head.Metadata?["x-amz-meta-" + CommittedAtMetadata];
        return long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && DateTimeOffset.FromUnixTimeMilliseconds(ms) > modified
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : modified;
    }

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime()) : DateTimeOffset.MinValue;
}
