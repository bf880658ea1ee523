using System.Globalization;
using Amazon.S3;
using Berth.Registry.Blobs;
using Berth.Registry.Content;

namespace Berth.Storage.S3;

/// <summary>
/// <c>berth storage migrate --from filesystem --to s3</c>: copies every committed blob of a blob store
/// (the data folder's) into the bucket, under the same <c>blobs/</c> keys the S3 store reads.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Verified: each blob is hashed while it streams into the bucket and the object is completed only
/// when the bytes match the digest it is named by (as every S3 commit, see <see cref="S3ObjectWriter"/>);
/// a file whose bytes do not match is reported and not copied.</item>
/// <item>Resumable: a blob whose key already holds an object of its size is skipped. Such an object was
/// written only after its digest was verified (by Berth or by an earlier run), so after an interruption
/// the next run copies just what is missing; an interrupted object never became visible.</item>
/// <item>Meant for a stopped registry (or one whose pushes are stopped): it takes no garbage-collection
/// claims, and blobs committed after it listed them are not copied.</item>
/// </list>
/// </remarks>
public sealed class BlobMigration
{
    private readonly S3BlobStore target;
    private readonly S3Layout layout;
    private readonly S3ObjectWriter writer;
    private readonly TextWriter output;

    public BlobMigration(IAmazonS3 s3, S3BlobStoreOptions options, TimeProvider time, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        layout = new S3Layout(options.Prefix);
        writer = new S3ObjectWriter(s3, options.Bucket, options.PartSize);
        target = new S3BlobStore(s3, options, NoClaims.Instance, time);
        this.output = output;
    }

    /// <summary>Copies what <paramref name="inventory"/> lists, reading it from <paramref name="source"/>; prints a line per blob and a summary.</summary>
    public async Task<BlobMigrationResult> RunAsync(IBlobInventory inventory, IBlobStore source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(source);
        var result = new BlobMigrationResult();
        await foreach (var blob in inventory.ListBlobsAsync(cancellationToken))
        {
            var key = layout.Blob(blob.Digest);
            var there = await target.HeadAsync(key, cancellationToken);
            if (there?.ContentLength == blob.Size)
            {
                result = result with { Skipped = result.Skipped + 1 };
                await output.WriteLineAsync($"skipped {blob.Digest} ({Size(blob.Size)}): already in the bucket");
                continue;
            }

            var content = await source.GetAsync(blob.Digest, cancellationToken);
            if (content is null)
            {
                // Deleted since it was listed (garbage collection of a running registry).
                continue;
            }

            var actual = blob.Digest;
            long size;
            bool written;
            using (var hasher = Digest.CreateHasher(blob.Digest.Algorithm))
            await using (var stream = await content.OpenAsync(cancellationToken))
            {
                (written, size, _) = await writer.WriteAsync(
                    key,
                    stream,
                    hasher,
                    _ =>
                    {
                        actual = Digest.FromHash(blob.Digest.Algorithm, hasher.GetHashAndReset());
                        return actual == blob.Digest;
                    },
                    target.CommitMetadata(),
                    cancellationToken);
            }

            if (!written)
            {
                result = result with { Failed = result.Failed + 1 };
                await output.WriteLineAsync($"NOT COPIED {blob.Digest}: its {size} bytes hash to {actual} (the file is damaged; nothing was written)");
                continue;
            }

            result = result with { Copied = result.Copied + 1, CopiedBytes = result.CopiedBytes + size };
            await output.WriteLineAsync($"copied {blob.Digest} ({Size(size)})");
        }

        await output.WriteLineAsync(
            $"{result.Copied} copied ({Size(result.CopiedBytes)}), {result.Skipped} already there, {result.Failed} not copied (damaged)");
        return result;
    }

    private static string Size(long bytes) =>
        bytes < 1024 * 1024
            ? bytes.ToString(CultureInfo.InvariantCulture) + " bytes"
            : (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The migration runs with the registry stopped: no garbage collection holds a claim.</summary>
    private sealed class NoClaims : Berth.Registry.Metadata.IBlobClaimProbe
    {
        public static readonly NoClaims Instance = new();

        public Task<bool> IsBlobClaimedAsync(Digest digest, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}

/// <summary>What a <see cref="BlobMigration"/> run did.</summary>
public sealed record BlobMigrationResult
{
    public int Copied { get; init; }

    public long CopiedBytes { get; init; }

    public int Skipped { get; init; }

    /// <summary>Blobs whose bytes did not match their digest and were therefore not copied.</summary>
    public int Failed { get; init; }
}
