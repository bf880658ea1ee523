using Amazon.S3.Model;
using Berth.Registry.Content;
using static Berth.Storage.S3.Radosgw.Tests.ServerBucket;

namespace Berth.Storage.S3.Radosgw.Tests;

/// <summary>
/// The commit of a one-chunk upload copies the chunk server-side on condition that it is still the version
/// Berth hashed (<c>x-amz-copy-source-if-match</c>). Berth also checks the ETag with a HEAD first, so only
/// a rewrite landing between that HEAD and the copy tests the server's side of it; s3rver ignores the
/// condition and would commit the rewritten bytes under the digest.
/// </summary>
public sealed class ConditionalCopyTests : IAsyncLifetime
{
    private ServerBucket bucket = null!;

    public async Task InitializeAsync() => bucket = await CreateAsync();

    public async Task DisposeAsync() => await bucket.DisposeAsync();

    [Fact]
    public async Task CommitStagingAsync_ChunkRewrittenBetweenTheCheckAndTheCopy_TheServerRefusesTheCopyAndNothingIsCommitted()
    {
        var bytes = Bytes(100_000, seed: 1);
        var digest = Digest.Compute(bytes);
        var staging = bucket.Staging();
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);
        await staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), null, Ct);
        var chunk = Assert.Single(await bucket.KeysAsync($"uploads/{upload:N}/0"));
        var copies = new List<CopyObjectRequest>();
        bucket.BeforeSend = request =>
        {
            // A replica that lost its claim finishes rewriting the chunk (same size, other bytes) just as
            // Berth's copy leaves: after its HEAD saw the hashed version, before the server copies.
            if (request is CopyObjectRequest copy)
            {
                copies.Add(copy);
                bucket.Other.PutObjectAsync(
                    new PutObjectRequest { BucketName = bucket.Options.Bucket, Key = chunk, InputStream = new MemoryStream(Bytes(bytes.Length, seed: 2)), UseChunkEncoding = false },
                    Ct).GetAwaiter().GetResult();
            }
        };

        var result = await staging.CommitStagingAsync(upload, digest, bytes.Length, null, Ct);

        Assert.False(result?.Committed);

        // The copy was sent: had the server ignored its condition, the rewritten bytes would now sit under the digest.
        var sent = Assert.Single(copies);
        Assert.Equal(chunk, sent.SourceKey);
        Assert.False(string.IsNullOrEmpty(sent.ETagToMatch));
        Assert.Empty(await bucket.KeysAsync("blobs/"));
        Assert.Null(await bucket.Blobs().StatAsync(digest, Ct));
    }

    [Fact]
    public async Task CommitStagingAsync_ChunkUnchanged_TheConditionalCopyCommitsIt()
    {
        // The same commit with nobody rewriting, by the instance that hashed the chunk while writing it:
        // the condition holds, and the copy (not a read-back) commits.
        var bytes = Bytes(100_000, seed: 3);
        var digest = Digest.Compute(bytes);
        var staging = bucket.Staging();
        var (upload, hashed) = await StageHashedAsync(staging, bytes);

        Assert.True((await staging.CommitStagingAsync(upload, digest, bytes.Length, hashed, Ct))?.Committed);

        var copy = Assert.Single(bucket.Sent.OfType<CopyObjectRequest>());
        Assert.False(string.IsNullOrEmpty(copy.ETagToMatch));
        Assert.Empty(bucket.Sent.OfType<GetObjectRequest>());
        Assert.Equal(bytes.Length, await bucket.Blobs().StatAsync(digest, Ct));
        Assert.Empty(await bucket.KeysAsync("uploads/"));
    }

    [Fact]
    public async Task CommitStagingAsync_OneChunkCopied_TheBlobIsAsNewAsTheCopyNotAsTheChunk()
    {
        // The copy carries no commit stamp of Berth's (MetadataDirective COPY), so garbage collection's age
        // check reads its Last-Modified: RGW must give the copy the time of the copy, not the chunk's.
        var bytes = Bytes(100_000, seed: 4);
        var digest = Digest.Compute(bytes);
        var staging = bucket.Staging();
        var (upload, hashed) = await StageHashedAsync(staging, bytes);
        var chunk = Assert.Single(await bucket.KeysAsync($"uploads/{upload:N}/0"));
        var written = (await bucket.Other.GetObjectMetadataAsync(bucket.Options.Bucket, chunk, Ct)).LastModified!.Value.ToUniversalTime();

        // Last-Modified has whole seconds: let the clock leave the chunk's second (bounded), so the copy's differs.
        for (var wait = 0; wait < 40 && DateTime.UtcNow < written.AddSeconds(1); wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }

        Assert.True((await staging.CommitStagingAsync(upload, digest, bytes.Length, hashed, Ct))?.Committed);

        var blob = Assert.Single(await bucket.KeysAsync("blobs/"));
        var copied = (await bucket.Other.GetObjectMetadataAsync(bucket.Options.Bucket, blob, Ct)).LastModified!.Value.ToUniversalTime();
        Assert.True(copied > written, $"the copy's Last-Modified {copied:O} is not later than the chunk's {written:O}");
    }

    /// <summary>One chunk staged by an instance that hashes it while writing it, as a one-chunk push is.</summary>
    private static async Task<(Guid Upload, Digest Hashed)> StageHashedAsync(S3UploadStaging staging, byte[] bytes)
    {
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);
        using var hasher = Digest.CreateHasher(Digest.Sha256);
        await staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), hasher, Ct);
        return (upload, Digest.FromHash(Digest.Sha256, hasher.GetHashAndReset()));
    }
}
