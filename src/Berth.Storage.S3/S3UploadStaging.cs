using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Storage.S3;

/// <summary>
/// Bytes of uploads in progress, staged in the bucket so that any replica can take the next chunk:
/// the session (its acknowledged size) lives in the metadata store, the bytes here.
/// </summary>
/// <remarks>
/// Each chunk is stored as its own object, named by the offset it starts at, whatever its size: one
/// PutObject for a small chunk, a streamed multipart upload for a large one. S3's rule that multipart
/// parts be at least 5 MiB (except the last) then never meets the client's chunk sizes: at commit the
/// chunks are read back in order, hashed, and written to the digest's key as one stream cut into
/// fixed-size parts. The alternatives were weighed:
/// <list type="bullet">
/// <item>one multipart upload per session, a chunk per part: breaks on the tiny chunks of chunked
/// clients (parts below 5 MiB) and needs ListParts or a part list in the database to resume;</item>
/// <item>composing server-side with UploadPartCopy: saves moving the bytes through Berth once, but
/// still needs 5 MiB pieces and is not offered by every S3-compatible server (s3rver lacks it).</item>
/// </list>
/// The price is that a commit reads the staged bytes once more; in exchange it hashes what it actually
/// writes, so even two requests racing on one session cannot commit bytes other than the verified ones.
/// A replica killed mid-chunk leaves no chunk object (an unfinished PutObject or multipart upload is
/// invisible), so the session resumes at its last acknowledged offset on any replica.
/// </remarks>
public sealed class S3UploadStaging : IUploadStaging
{
    private const int CommitAttempts = 3;

    private readonly IAmazonS3 s3;
    private readonly string bucket;
    private readonly S3Layout layout;
    private readonly S3ObjectWriter writer;
    private readonly SweepGuard guard;
    private readonly S3BlobStore blobs;

    public S3UploadStaging(IAmazonS3 s3, S3BlobStoreOptions options, IBlobClaimProbe claims, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.s3 = s3;
        bucket = options.Bucket;
        layout = new S3Layout(options.Prefix);
        writer = new S3ObjectWriter(s3, bucket, options.PartSize);
        guard = new SweepGuard(claims, options.ClaimWait);
        blobs = new S3BlobStore(s3, options, claims, time);
    }

    public async Task CreateStagingAsync(Guid upload, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = layout.UploadMarker(upload), InputStream = new MemoryStream([], writable: false), UseChunkEncoding = false },
            cancellationToken);

    public async Task<long?> WriteStagingAsync(Guid upload, long offset, Stream content, IncrementalHash? hasher, CancellationToken cancellationToken)
    {
        var staged = await StagedChunks.ListAsync(s3, bucket, layout, upload, cancellationToken);
        if (!staged.Exists || staged.Length < offset)
        {
            return null;
        }

        // Leftovers past the offset (a chunk that was stored but never acknowledged) are superseded.
        foreach (var stale in staged.Chunks.Where(c => c.Start >= offset))
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = stale.Key }, cancellationToken);
        }

        var (_, size) = await writer.WriteAsync(layout.Chunk(upload, offset), content, hasher, null, new Dictionary<string, string>(), cancellationToken);
        return offset + size;
    }

    public async Task<Digest?> HashStagingAsync(Guid upload, string algorithm, long size, CancellationToken cancellationToken)
    {
        var staged = await StagedChunks.ListAsync(s3, bucket, layout, upload, cancellationToken);
        if (!staged.Exists || staged.Length < size)
        {
            return null;
        }

        using var hasher = Digest.CreateHasher(algorithm);
        await using var stream = new StagedChunkStream(s3, bucket, staged.Chunks, size);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.AppendData(buffer, 0, read);
        }

        return Digest.FromHash(algorithm, hasher.GetHashAndReset());
    }

    /// <exception cref="InvalidDataException">The staged bytes do not hash to <paramref name="digest"/> (nothing was committed).</exception>
    public async Task CommitStagingAsync(Guid upload, Digest digest, long size, CancellationToken cancellationToken)
    {
        var key = layout.Blob(digest);
        for (var attempt = 1; ; attempt++)
        {
            var staged = await StagedChunks.ListAsync(s3, bucket, layout, upload, cancellationToken);
            if (!staged.Exists || staged.Length < size)
            {
                throw new InvalidOperationException($"upload {upload:N} has {staged.Length} staged bytes, fewer than the {size} to commit");
            }

            using var hasher = Digest.CreateHasher(digest.Algorithm);
            await using var stream = new StagedChunkStream(s3, bucket, staged.Chunks, size);
            var (written, _) = await writer.WriteAsync(
                key,
                stream,
                hasher,
                length => length == size && Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset()) == digest,
                blobs.CommitMetadata(),
                cancellationToken);
            if (!written)
            {
                throw new InvalidDataException($"the staged bytes of upload {upload:N} do not hash to {digest} (were two requests writing the upload at once?); nothing was committed");
            }

            if (await guard.SurvivedAsync(digest, ct => blobs.ExistsAsync(key, ct), cancellationToken))
            {
                break;
            }

            if (attempt == CommitAttempts)
            {
                throw new IOException($"{digest} was deleted by garbage collection {CommitAttempts} times while it was being committed; push it again");
            }
        }

        await DeleteStagingAsync(upload, cancellationToken);
    }

    public async Task DeleteStagingAsync(Guid upload, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var item in S3Listing.ListAsync(s3, bucket, layout.UploadFolder(upload), cancellationToken))
        {
            keys.Add(item.Key);
        }

        // One by one: DeleteObjects needs a Content-MD5 or checksum header that not every server takes.
        foreach (var key in keys)
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
    }
}
