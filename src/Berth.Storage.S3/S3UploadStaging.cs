using System.Collections.Concurrent;
using System.Net;
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
/// parts be at least 5 MiB (except the last) then never meets the client's chunk sizes. The commit:
/// <list type="bullet">
/// <item>an upload of one chunk (docker, podman and skopeo send the whole layer in one PATCH) is copied
/// server-side (CopyObject) to the digest's key, on condition that the chunk is still the version that
/// was hashed (its ETag, <c>x-amz-copy-source-if-match</c>): when this instance hashed it as it wrote it,
/// the bytes cross Berth once; when another replica wrote it, they are read back once to be hashed first;</item>
/// <item>otherwise (several chunks, a source changed since it was hashed, larger than CopyObject's 5 GiB)
/// the chunks are read back once, in order, hashed, and written to the digest's key as one stream cut into
/// fixed-size parts, completed only when the digest matched (never hashed once before and read again).</item>
/// </list>
/// Either way nothing is visible under the digest before it was verified. The alternatives were weighed:
/// one multipart upload per session with a chunk per part breaks on the tiny chunks of chunked clients
/// (parts below 5 MiB) and needs ListParts or a part list in the database to resume; composing several
/// chunks server-side with UploadPartCopy still needs 5 MiB pieces and is not offered by every
/// S3-compatible server (s3rver lacks it). A replica killed mid-chunk leaves no chunk object (an
/// unfinished PutObject or multipart upload is invisible), so the session resumes at its last acknowledged
/// offset on any replica. (A monolithic PUT that brings the whole blob never reaches the staging at all:
/// see BlobUploadService.)
/// </remarks>
public sealed class S3UploadStaging : IUploadStaging
{
    private const int CommitAttempts = 3;

    /// <summary>CopyObject's limit on AWS S3; a larger upload is committed by reading it back.</summary>
    private const long MaxCopySize = 5L * 1024 * 1024 * 1024;

    /// <summary>The name under which Ceph RGW reads <c>x-amz-copy-source-if-match</c>; other servers ignore it.</summary>
    private const string CephCopyIfMatch = "x-amz-copy-if-match";

    /// <summary>Bounds <see cref="hashedVersions"/> when uploads are abandoned and swept by another replica.</summary>
    private const int MaxRemembered = 10_000;

    private readonly IAmazonS3 s3;
    private readonly string bucket;
    private readonly S3Layout layout;
    private readonly S3ObjectWriter writer;
    private readonly SweepGuard guard;
    private readonly S3BlobStore blobs;

    /// <summary>
    /// Chunk key → ETag of the version whose bytes this instance fed to a hasher (wrote or read back):
    /// the commit copies a chunk server-side only on condition that it is still that version.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> hashedVersions = new(StringComparer.Ordinal);

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

        var key = layout.Chunk(upload, offset);
        hashedVersions.TryRemove(key, out _);
        var (_, size, etag) = await writer.WriteAsync(key, content, hasher, null, new Dictionary<string, string>(), cancellationToken);
        Remember(key, etag);
        return offset + size;
    }

    /// <remarks>
    /// Each staged byte crosses Berth at most once more: one chunk this instance hashed is copied
    /// server-side; one chunk it did not hash is read back, hashed, then copied; several chunks are read
    /// back once and written under the digest, verified on the way.
    /// </remarks>
    public async Task<IngestResult?> CommitStagingAsync(Guid upload, Digest expected, long size, Digest? hashed, CancellationToken cancellationToken)
    {
        var key = layout.Blob(expected);
        for (var attempt = 1; ; attempt++)
        {
            var staged = await StagedChunks.ListAsync(s3, bucket, layout, upload, cancellationToken);
            if (!staged.Exists || staged.Length < size)
            {
                return null;
            }

            var result = await CommitAsync(staged, key, expected, size, hashed, cancellationToken);
            if (!result.Committed)
            {
                return result;
            }

            if (await guard.SurvivedAsync(expected, ct => blobs.ExistsAsync(key, ct), cancellationToken))
            {
                break;
            }

            if (attempt == CommitAttempts)
            {
                throw new IOException($"{expected} was deleted by garbage collection {CommitAttempts} times while it was being committed; push it again");
            }
        }

        await DeleteStagingAsync(upload, cancellationToken);
        return new IngestResult(true, expected, size);
    }

    private async Task<IngestResult> CommitAsync(StagedChunks staged, string key, Digest expected, long size, Digest? hashed, CancellationToken cancellationToken)
    {
        if (hashed is not null && hashed != expected)
        {
            return new IngestResult(false, hashed.Value, size);
        }

        if (hashed is null && IsCopyable(staged, size))
        {
            // Hashing the one chunk records the version read (its ETag), which the copy then insists on.
            var actual = await HashAsync(staged, expected.Algorithm, size, cancellationToken);
            if (actual != expected)
            {
                return new IngestResult(false, actual, size);
            }

            hashed = actual;
        }

        if (hashed is not null && await CopyHashedAsync(staged, key, size, cancellationToken))
        {
            return new IngestResult(true, expected, size);
        }

        return await RewriteAsync(staged, key, expected, size, cancellationToken);
    }

    private static bool IsCopyable(StagedChunks staged, long size) =>
        staged.Chunks is [var only] && only.ObjectSize == size && size <= MaxCopySize;

    private async Task<Digest> HashAsync(StagedChunks staged, string algorithm, long size, CancellationToken cancellationToken)
    {
        using var hasher = Digest.CreateHasher(algorithm);
        await using var stream = new StagedChunkStream(s3, bucket, staged.Chunks, size, Remember);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.AppendData(buffer, 0, read);
        }

        return Digest.FromHash(algorithm, hasher.GetHashAndReset());
    }

    /// <summary>
    /// The one staged chunk, copied server-side if this instance hashed exactly this version of it; false
    /// (nothing written) when that does not apply or the source changed since it was hashed.
    /// </summary>
    private async Task<bool> CopyHashedAsync(StagedChunks staged, string key, long size, CancellationToken cancellationToken)
    {
        if (!IsCopyable(staged, size) || !hashedVersions.TryGetValue(staged.Chunks[0].Key, out var etag))
        {
            return false;
        }

        // The condition below is what makes the copy safe; a server that ignores it (s3rver does) still
        // gets this check, which leaves only the moment between the two requests open.
        var only = staged.Chunks[0];
        if ((await blobs.HeadAsync(only.Key, cancellationToken))?.ETag != etag)
        {
            hashedVersions.TryRemove(only.Key, out _);
            return false;
        }

        // The chunk's own (empty) metadata, no commit stamp: a REPLACE makes some servers read and rewrite the
        // whole object again (s3rver recomputes its MD5: 7.2 s instead of 1.7 s for 1 GiB, bench/RESULTS.md).
        // The copy's Last-Modified, which AWS S3, Ceph RGW and s3rver set to the time of the copy, is what
        // garbage collection's age check reads.
        var copy = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = only.Key,
            DestinationBucket = bucket,
            DestinationKey = key,
            ETagToMatch = etag,
            MetadataDirective = S3MetadataDirective.COPY,
        };
        // Ceph RGW ignores the AWS name of the condition and reads only x-amz-copy-if-match
        // (https://tracker.ceph.com/issues/40808, up to at least 16.2.15): without it RGW copies whatever the chunk holds.
        copy.Headers[CephCopyIfMatch] = etag;

        try
        {
            await s3.CopyObjectAsync(copy, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // The chunk was rewritten since it was hashed (a writer that had lost its claim): read it back.
            hashedVersions.TryRemove(only.Key, out _);
            return false;
        }
    }

    /// <summary>Reads the staged bytes back, hashing them, into the digest's key; nothing is written when they do not match.</summary>
    private async Task<IngestResult> RewriteAsync(StagedChunks staged, string key, Digest digest, long size, CancellationToken cancellationToken)
    {
        using var hasher = Digest.CreateHasher(digest.Algorithm);
        await using var stream = new StagedChunkStream(s3, bucket, staged.Chunks, size);
        Digest? actual = null;
        var (written, _, _) = await writer.WriteAsync(
            key,
            stream,
            hasher,
            length =>
            {
                actual = Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset());
                return length == size && actual == digest;
            },
            blobs.CommitMetadata(),
            cancellationToken);
        return new IngestResult(written, actual ?? digest, size);
    }

    private void Remember(string key, string? etag)
    {
        if (etag is null)
        {
            return;
        }

        if (hashedVersions.Count >= MaxRemembered)
        {
            // Entries of uploads another replica finished or swept; losing them only costs a read-back.
            hashedVersions.Clear();
        }

        hashedVersions[key] = etag;
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
            hashedVersions.TryRemove(key, out _);
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
    }
}
