using Amazon.S3.Model;
using Berth.Registry.Content;
using static Berth.Storage.S3.Radosgw.Tests.ServerBucket;

namespace Berth.Storage.S3.Radosgw.Tests;

/// <summary>
/// A multipart write that Berth refuses (the digest does not match) or that fails (the client's connection
/// drops) is aborted, so its parts do not stay in the bucket taking space. Each test also lists the
/// unfinished upload just before the abort goes out, so an empty listing afterwards is the abort's doing
/// and not a server that lists nothing. s3rver implements neither AbortMultipartUpload nor the listing.
/// </summary>
public sealed class AbortMultipartTests : IAsyncLifetime
{
    /// <summary>Two parts and a bit, so at least one part is on the server when the write ends.</summary>
    private const int Large = 2 * S3BlobStoreOptions.MinimumPartSize + 123;

    private ServerBucket bucket = null!;
    private readonly List<List<string>> unfinishedBeforeAbort = [];

    public async Task InitializeAsync()
    {
        bucket = await CreateAsync();
        bucket.BeforeSend = request =>
        {
            if (request is AbortMultipartUploadRequest)
            {
                unfinishedBeforeAbort.Add(bucket.UnfinishedMultipartUploadsAsync().GetAwaiter().GetResult());
            }
        };
    }

    public async Task DisposeAsync() => await bucket.DisposeAsync();

    [Fact]
    public async Task IngestAsync_WrongDigestLargerThanOnePart_AbortsTheMultipartUploadSoNoPartsRemain()
    {
        var bytes = Bytes(Large, seed: 11);
        var claimed = Digest.Compute(Bytes(Large, seed: 12));

        var result = await bucket.Blobs().IngestAsync(new MemoryStream(bytes), claimed, Ct);

        Assert.False(result.Committed);
        AssertAbortedTheUploadItBegan();
        Assert.Empty(await bucket.UnfinishedMultipartUploadsAsync());
        Assert.Empty(await bucket.KeysAsync(""));
    }

    [Fact]
    public async Task WriteStagingAsync_ConnectionLostAfterTheFirstPart_AbortsTheMultipartUploadSoNoPartsRemain()
    {
        var staging = bucket.Staging();
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);

        await Assert.ThrowsAsync<IOException>(() => staging.WriteStagingAsync(upload, 0, new DroppedConnection(Bytes(Large, seed: 13), failAfter: Large - 100), null, Ct));

        AssertAbortedTheUploadItBegan();
        Assert.Empty(await bucket.UnfinishedMultipartUploadsAsync());
        Assert.Empty(await bucket.KeysAsync($"uploads/{upload:N}/0"));
    }

    [Fact]
    public async Task CommitStagingAsync_StagedBytesDoNotMatchTheDigest_AbortsTheMultipartRewriteSoNoPartsRemain()
    {
        // Two chunks are read back and written under the digest as one multipart object, completed only if they match.
        var first = Bytes(Large, seed: 14);
        var second = Bytes(1000, seed: 15);
        var staging = bucket.Staging();
        var upload = Guid.NewGuid();
        await staging.CreateStagingAsync(upload, Ct);
        await staging.WriteStagingAsync(upload, 0, new MemoryStream(first), null, Ct);
        await staging.WriteStagingAsync(upload, first.Length, new MemoryStream(second), null, Ct);
        var claimed = Digest.Compute(Bytes(first.Length + second.Length, seed: 16));
        Assert.Empty(await bucket.UnfinishedMultipartUploadsAsync());

        var result = await staging.CommitStagingAsync(upload, claimed, first.Length + second.Length, null, Ct);

        Assert.False(result?.Committed);

        var abort = Assert.Single(bucket.Sent.OfType<AbortMultipartUploadRequest>());
        Assert.StartsWith($"{bucket.Options.Prefix}blobs/", abort.Key, StringComparison.Ordinal);
        Assert.Equal([$"{abort.Key} {abort.UploadId}"], Assert.Single(unfinishedBeforeAbort));
        Assert.Empty(await bucket.UnfinishedMultipartUploadsAsync());
        Assert.Empty(await bucket.KeysAsync("blobs/"));
    }

    private void AssertAbortedTheUploadItBegan()
    {
        var begun = Assert.Single(bucket.Sent.OfType<InitiateMultipartUploadRequest>());
        var abort = Assert.Single(bucket.Sent.OfType<AbortMultipartUploadRequest>());
        Assert.Equal(begun.Key, abort.Key);
        var listed = Assert.Single(unfinishedBeforeAbort);
        Assert.Equal([$"{abort.Key} {abort.UploadId}"], listed);
    }

    /// <summary>A request body whose connection drops after <c>failAfter</c> bytes.</summary>
    private sealed class DroppedConnection(byte[] bytes, int failAfter) : MemoryStream(bytes, writable: false)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("the client's connection was reset");
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
        }
    }
}
