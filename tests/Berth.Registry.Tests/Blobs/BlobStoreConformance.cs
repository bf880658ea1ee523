using System.Security.Cryptography;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Registry.Tests.Blobs;

/// <summary>
/// The behaviour every blob store (filesystem, S3) must show. A store's test class subclasses this and
/// hands out stores on one private backing storage; "another instance" stands for another replica.
/// </summary>
/// <remarks>This file is compiled into the S3 store's tests too (linked), so both stores run the same tests.</remarks>
public abstract class BlobStoreConformance : IAsyncLifetime
{
    /// <summary>Larger than one S3 multipart part (at least 5 MiB), so bodies of this size take the multipart path.</summary>
    protected const int Large = 6 * 1024 * 1024 + 123;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>The stores' clock; starts at the real time, so servers that stamp on their own clock agree roughly.</summary>
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new store instance on this test's backing storage (a new replica sees what the others wrote).</summary>
    protected abstract StoreUnderTest Open();

    /// <summary>Takes garbage collection's claim on the digest for as long as the result is not disposed.</summary>
    protected abstract Task<IAsyncDisposable> ClaimAsync(Digest digest);

    [Fact]
    public async Task IngestAsync_MatchingDigest_CommitsBytesThatStatAndGetServe()
    {
        var store = Open();
        var bytes = Bytes(1000, seed: 1);

        var result = await store.Blobs.IngestAsync(new MemoryStream(bytes), Digest.Compute(bytes), Ct);

        Assert.True(result.Committed);
        Assert.Equal(1000, result.Size);
        Assert.Equal(1000, await Open().Blobs.StatAsync(Digest.Compute(bytes), Ct));
        Assert.Equal(bytes, await ReadAllAsync(Open(), Digest.Compute(bytes)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(Large)]
    public async Task IngestAsync_WrongDigest_ReportsTheActualOneAndNothingIsVisible(int size)
    {
        var store = Open();
        var bytes = Bytes(size, seed: 2);
        var claimed = Digest.Compute(Bytes(size, seed: 3));

        var result = await store.Blobs.IngestAsync(new MemoryStream(bytes), claimed, Ct);

        Assert.False(result.Committed);
        Assert.Equal(Digest.Compute(bytes), result.Actual);
        Assert.Null(await store.Blobs.StatAsync(claimed, Ct));
        Assert.Null(await store.Blobs.StatAsync(Digest.Compute(bytes), Ct));
        Assert.Empty(await ListAsync(store));
    }

    [Fact]
    public async Task IngestAsync_LargerThanOnePart_ServesTheSameBytes()
    {
        var bytes = Bytes(Large, seed: 4);

        Assert.True((await Open().Blobs.IngestAsync(new MemoryStream(bytes), Digest.Compute(bytes), Ct)).Committed);

        Assert.Equal(bytes, await ReadAllAsync(Open(), Digest.Compute(bytes)));
    }

    [Fact]
    public async Task GetAsync_SeekThenRead_ReturnsThatRangeOnly()
    {
        var bytes = Bytes(100_000, seed: 5);
        var digest = await CommitAsync(Open(), bytes);

        var content = await Open().Blobs.GetAsync(digest, Ct);
        await using var stream = await content!.OpenAsync(Ct);
        Assert.True(stream.CanSeek);
        Assert.Equal(100_000, stream.Length);
        stream.Seek(70_000, SeekOrigin.Begin);
        var range = new byte[500];
        await stream.ReadExactlyAsync(range, Ct);
        stream.Seek(10, SeekOrigin.Begin);
        var start = new byte[5];
        await stream.ReadExactlyAsync(start, Ct);

        Assert.Equal(bytes.AsSpan(70_000, 500).ToArray(), range);
        Assert.Equal(bytes.AsSpan(10, 5).ToArray(), start);
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        Assert.Null(await Open().Blobs.GetAsync(Digest.Compute(Bytes(3, seed: 6)), Ct));
        Assert.Null(await Open().Blobs.StatAsync(Digest.Compute(Bytes(3, seed: 6)), Ct));
    }

    [Fact]
    public async Task Staging_ChunksOfAnySizeAcrossInstances_CommitsTheVerifiedWhole()
    {
        var upload = Guid.NewGuid();
        var chunks = new[] { Bytes(1, seed: 7), Bytes(3, seed: 8), Bytes(Large, seed: 9), Bytes(17, seed: 10) };
        var whole = chunks.SelectMany(c => c).ToArray();
        await Open().Staging.CreateStagingAsync(upload, Ct);

        long offset = 0;
        foreach (var chunk in chunks)
        {
            // Each chunk lands on another replica, as behind a load balancer.
            var written = await Open().Staging.WriteStagingAsync(upload, offset, new MemoryStream(chunk), null, Ct);
            Assert.Equal(offset + chunk.Length, written);
            offset = written!.Value;
        }

        // No running hash: the committing replica saw none of the chunks, so the store verifies them itself.
        var committed = await Open().Staging.CommitStagingAsync(upload, Digest.Compute(whole), whole.Length, null, Ct);

        Assert.Equal(new IngestResult(true, Digest.Compute(whole), whole.Length), committed);
        Assert.Equal(whole, await ReadAllAsync(Open(), Digest.Compute(whole)));
        Assert.Null(await Open().Staging.WriteStagingAsync(upload, whole.Length, new MemoryStream([1]), null, Ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Staging_CommitWithTheWrongDigest_ReportsTheActualOneAndNothingIsVisible(int chunkCount)
    {
        var upload = Guid.NewGuid();
        var chunks = Enumerable.Range(0, chunkCount).Select(i => Bytes(i == 0 ? Large : 1000, seed: 40 + i)).ToArray();
        var whole = chunks.SelectMany(c => c).ToArray();
        var claimed = Digest.Compute(Bytes(whole.Length, seed: 49));
        await Open().Staging.CreateStagingAsync(upload, Ct);
        long offset = 0;
        foreach (var chunk in chunks)
        {
            offset = (await Open().Staging.WriteStagingAsync(upload, offset, new MemoryStream(chunk), null, Ct))!.Value;
        }

        var committed = await Open().Staging.CommitStagingAsync(upload, claimed, whole.Length, null, Ct);

        Assert.Equal(new IngestResult(false, Digest.Compute(whole), whole.Length), committed);
        Assert.Null(await Open().Blobs.StatAsync(claimed, Ct));
        Assert.Null(await Open().Blobs.StatAsync(Digest.Compute(whole), Ct));
        Assert.Empty(await ListAsync(Open()));
    }

    [Fact]
    public async Task WriteStagingAsync_RunningHash_SeesEveryByte()
    {
        var upload = Guid.NewGuid();
        var bytes = Bytes(Large, seed: 11);
        await Open().Staging.CreateStagingAsync(upload, Ct);
        using var hasher = Digest.CreateHasher(Digest.Sha256);

        await Open().Staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), hasher, Ct);

        Assert.Equal(Digest.Compute(bytes), Digest.FromHash(Digest.Sha256, hasher.GetHashAndReset()));
    }

    [Fact]
    public async Task WriteStagingAsync_AgainAtAnAcknowledgedOffset_DropsWhatWasStagedPastIt()
    {
        var upload = Guid.NewGuid();
        var first = Bytes(10, seed: 12);
        await Open().Staging.CreateStagingAsync(upload, Ct);
        await Open().Staging.WriteStagingAsync(upload, 0, new MemoryStream(first), null, Ct);
        // A chunk that was stored but never acknowledged (its replica died before recording progress)…
        await Open().Staging.WriteStagingAsync(upload, 10, new MemoryStream(Bytes(10, seed: 13)), null, Ct);

        // …is replaced by the client's retry of that chunk from the last acknowledged offset.
        var retry = Bytes(5, seed: 14);
        Assert.Equal(15, await Open().Staging.WriteStagingAsync(upload, 10, new MemoryStream(retry), null, Ct));

        var whole = first.Concat(retry).ToArray();
        Assert.Null(await Open().Staging.CommitStagingAsync(upload, Digest.Compute(whole), 16, null, Ct));
        Assert.True((await Open().Staging.CommitStagingAsync(upload, Digest.Compute(whole), 15, null, Ct))!.Committed);
        Assert.Equal(whole, await ReadAllAsync(Open(), Digest.Compute(whole)));
    }

    [Fact]
    public async Task WriteStagingAsync_PastTheStagedBytesOrUnknownUpload_ReturnsNull()
    {
        var upload = Guid.NewGuid();
        await Open().Staging.CreateStagingAsync(upload, Ct);
        await Open().Staging.WriteStagingAsync(upload, 0, new MemoryStream(Bytes(4, seed: 15)), null, Ct);

        Assert.Null(await Open().Staging.WriteStagingAsync(upload, 5, new MemoryStream([1]), null, Ct));
        Assert.Null(await Open().Staging.WriteStagingAsync(Guid.NewGuid(), 0, new MemoryStream([1]), null, Ct));
        Assert.Null(await Open().Staging.CommitStagingAsync(Guid.NewGuid(), Digest.Compute([]), 0, null, Ct));
    }

    [Fact]
    public async Task DeleteStagingAsync_Upload_ForgetsItsBytes()
    {
        var upload = Guid.NewGuid();
        await Open().Staging.CreateStagingAsync(upload, Ct);
        await Open().Staging.WriteStagingAsync(upload, 0, new MemoryStream(Bytes(4, seed: 16)), null, Ct);

        await Open().Staging.DeleteStagingAsync(upload, Ct);

        Assert.Null(await Open().Staging.WriteStagingAsync(upload, 4, new MemoryStream([1]), null, Ct));
        Assert.Empty(await ListAsync(Open()));
    }

    [Fact]
    public async Task DeleteAsync_Committed_RemovesItOnce()
    {
        var digest = await CommitAsync(Open(), Bytes(8, seed: 17));

        Assert.True(await Open().Blobs.DeleteAsync(digest, Ct));

        Assert.False(await Open().Blobs.DeleteAsync(digest, Ct));
        Assert.Null(await Open().Blobs.StatAsync(digest, Ct));
    }

    [Fact]
    public async Task ListBlobsAsync_CommittedAndStaged_ListsOnlyCommittedBlobsWithTheirSizes()
    {
        var a = await CommitAsync(Open(), Bytes(1, seed: 18));
        var b = await CommitAsync(Open(), Bytes(2, seed: 19));
        var upload = Guid.NewGuid();
        await Open().Staging.CreateStagingAsync(upload, Ct);
        await Open().Staging.WriteStagingAsync(upload, 0, new MemoryStream(Bytes(3, seed: 20)), null, Ct);

        var listed = await ListAsync(Open());

        Assert.Equal(new[] { a, b }.OrderBy(d => d.Hex, StringComparer.Ordinal), listed.Select(x => x.Digest).OrderBy(d => d.Hex, StringComparer.Ordinal));
        Assert.Equal(3, listed.Sum(x => x.Size));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_OldAndFresh_DeletesOnlyTheOld()
    {
        var old = await CommitAsync(Open(), Bytes(5, seed: 21));
        Time.Advance(TimeSpan.FromHours(1));
        var fresh = await CommitAsync(Open(), Bytes(6, seed: 22));
        var cutoff = Time.GetUtcNow() - TimeSpan.FromMinutes(30);

        Assert.Equal(5, await Open().Inventory.DeleteIfUnmodifiedAsync(old, cutoff, Ct));
        Assert.Null(await Open().Inventory.DeleteIfUnmodifiedAsync(fresh, cutoff, Ct));

        Assert.Null(await Open().Blobs.StatAsync(old, Ct));
        Assert.Equal(6, await Open().Blobs.StatAsync(fresh, Ct));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedAsync_RacingACommitOfTheSameDigest_TheCommittedBytesSurvive()
    {
        // A push that re-commits an old, unreferenced blob while garbage collection deletes it: whatever
        // the interleaving, the commit's bytes are there afterwards.
        var bytes = Bytes(Large, seed: 23);
        var digest = Digest.Compute(bytes);
        for (var round = 0; round < 3; round++)
        {
            await CommitAsync(Open(), bytes);
            Time.Advance(TimeSpan.FromHours(1));
            var cutoff = Time.GetUtcNow() - TimeSpan.FromMinutes(30);
            var upload = Guid.NewGuid();
            var replica = Open();
            var collector = Open();
            await replica.Staging.CreateStagingAsync(upload, Ct);
            await replica.Staging.WriteStagingAsync(upload, 0, new MemoryStream(bytes), null, Ct);

            var commit = Task.Run(() => replica.Staging.CommitStagingAsync(upload, digest, bytes.Length, null, Ct));
            var sweep = Task.Run(async () =>
            {
                await using (await ClaimAsync(digest))
                {
                    return await collector.Inventory.DeleteIfUnmodifiedAsync(digest, cutoff, Ct);
                }
            });
            await Task.WhenAll(commit, sweep);

            Assert.Equal(bytes, await ReadAllAsync(Open(), digest));
        }
    }

    protected static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static async Task<Digest> CommitAsync(StoreUnderTest store, byte[] bytes)
    {
        var result = await store.Blobs.IngestAsync(new MemoryStream(bytes), Digest.Compute(bytes), Ct);
        Assert.True(result.Committed);
        return result.Actual;
    }

    protected static async Task<byte[]> ReadAllAsync(StoreUnderTest store, Digest digest)
    {
        var content = await store.Blobs.GetAsync(digest, Ct);
        Assert.NotNull(content);
        await using var stream = await content.OpenAsync(Ct);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(content.Size, copy.Length);
        return copy.ToArray();
    }

    protected static async Task<List<StoredBlob>> ListAsync(StoreUnderTest store)
    {
        var listed = new List<StoredBlob>();
        await foreach (var blob in store.Inventory.ListBlobsAsync(Ct))
        {
            listed.Add(blob);
        }

        return listed;
    }

    /// <summary>The three seams of one store instance.</summary>
    protected sealed record StoreUnderTest(IBlobStore Blobs, IUploadStaging Staging, IBlobInventory Inventory);
}
