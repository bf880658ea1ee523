using Berth.Registry.Blobs;
using Berth.Registry.Content;

namespace Berth.Registry.Tests.Blobs;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemBlobStore store;

    public FileSystemBlobStoreTests() => store = new FileSystemBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Ingest_MatchingDigest_CommitsUnderDigestPath()
    {
        var content = RandomBytes(300_000);
        var digest = Digest.Compute(content);

        var result = await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);

        Assert.True(result.Committed);
        Assert.Equal(digest, result.Actual);
        Assert.Equal(content.Length, result.Size);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(root, "blobs", "sha256", digest.Hex[..2], digest.Hex)));
        Assert.Equal(content.Length, await store.StatAsync(digest, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Ingest_Sha512_CommitsUnderSha512Folder()
    {
        var content = RandomBytes(1000);
        var digest = Digest.Compute(content, Digest.Sha512);

        var result = await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);

        Assert.True(result.Committed);
        Assert.True(File.Exists(Path.Combine(root, "blobs", "sha512", digest.Hex[..2], digest.Hex)));
    }

    [Fact]
    public async Task Ingest_DigestMismatch_LeavesNothingUnderBlobsOrIngest()
    {
        var content = RandomBytes(5000);
        var claimed = Digest.Compute(RandomBytes(5000));

        var result = await store.IngestAsync(new MemoryStream(content), claimed, CancellationToken.None);

        Assert.False(result.Committed);
        Assert.Equal(Digest.Compute(content), result.Actual);
        Assert.Equal(content.Length, result.Size);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "blobs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
        Assert.Null(await store.StatAsync(claimed, CancellationToken.None));
        Assert.Null(await store.GetAsync(claimed, CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_SameBlobTwice_BothSucceedAndOneFileRemains()
    {
        var content = RandomBytes(10_000);
        var digest = Digest.Compute(content);

        var first = await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);
        var second = await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);

        Assert.True(first.Committed);
        Assert.True(second.Committed);
        Assert.Single(Directory.GetFiles(Path.Combine(root, "blobs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Ingest_SameBlobConcurrently_AllSucceedWithIntactBytes()
    {
        var content = RandomBytes(1_000_000);
        var digest = Digest.Compute(content);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Committed));
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Ingest_StreamFailsMidway_LeavesNothingVisible()
    {
        var digest = Digest.Compute(RandomBytes(10));

        await Assert.ThrowsAsync<IOException>(() => store.IngestAsync(new TricklingStream(RandomBytes(2 * 1024 * 1024), int.MaxValue, failAfter: 1), digest, CancellationToken.None));

        Assert.Empty(Directory.GetFiles(Path.Combine(root, "blobs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Ingest_BlobOfSeveralBuffersInSmallReads_CommitsItsBytesInOrder()
    {
        // 3.3 MiB arriving 7,001 bytes at a time, as a socket gives them: four buffers, the last one partial.
        var content = RandomBytes(3_460_000);
        var digest = Digest.Compute(content);

        var result = await store.IngestAsync(new TricklingStream(content, 7001), digest, CancellationToken.None);

        Assert.True(result.Committed);
        Assert.Equal(content.Length, result.Size);
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public async Task Ingest_BlobPastTheBackgroundFlush_CommitsItsBytes()
    {
        // Past 64 MiB the store flushes the file to disk on another thread while the rest arrives.
        var content = RandomBytes((65 * 1024 * 1024) + 123);
        var digest = Digest.Compute(content);

        var result = await store.IngestAsync(new TricklingStream(content, 65_536), digest, CancellationToken.None);

        Assert.True(result.Committed);
        // SequenceEqual: Assert.Equal compares 65 MiB element by element for seconds.
        var stored = await ReadAsync(digest);
        Assert.True(content.AsSpan().SequenceEqual(stored));
    }

    [Fact]
    public async Task Ingest_StreamFailsAfterSeveralBuffers_LeavesNothingVisibleAndTheNextIngestIsIntact()
    {
        var content = RandomBytes(3_000_000);
        var digest = Digest.Compute(content);

        await Assert.ThrowsAsync<IOException>(() => store.IngestAsync(new TricklingStream(content, 65_536, failAfter: 2_500_000), digest, CancellationToken.None));
        var retried = await store.IngestAsync(new TricklingStream(content, 65_536), digest, CancellationToken.None);

        Assert.True(retried.Committed);
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Staging_ChunksOfSeveralBuffersWithRunningHash_CommitsTheirBytesInOrder()
    {
        var upload = Guid.NewGuid();
        var content = RandomBytes(5_000_000);
        var digest = Digest.Compute(content);
        using var hasher = Digest.CreateHasher(Digest.Sha256);
        await store.CreateStagingAsync(upload, CancellationToken.None);

        var afterFirst = await store.WriteStagingAsync(upload, 0, new TricklingStream(content[..1_600_000], 16_384), hasher, CancellationToken.None);
        var afterSecond = await store.WriteStagingAsync(upload, 1_600_000, new TricklingStream(content[1_600_000..], 16_384), hasher, CancellationToken.None);
        var hashed = Digest.FromHash(Digest.Sha256, hasher.GetHashAndReset());
        var committed = await store.CommitStagingAsync(upload, digest, content.Length, hashed, CancellationToken.None);

        Assert.Equal(1_600_000, afterFirst);
        Assert.Equal(content.Length, afterSecond);
        Assert.Equal(digest, hashed);
        Assert.Equal(new IngestResult(true, digest, content.Length), committed);
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public async Task Get_CommittedBlob_OpensItsBytes()
    {
        var content = RandomBytes(4096);
        var digest = Digest.Compute(content);
        await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);

        var blob = await store.GetAsync(digest, CancellationToken.None);

        Assert.NotNull(blob);
        Assert.Equal(4096, blob.Size);
        Assert.NotNull(blob.LocalPath);
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public async Task Delete_CommittedBlob_RemovesItOnceThenFalse()
    {
        var content = RandomBytes(10);
        var digest = Digest.Compute(content);
        await store.IngestAsync(new MemoryStream(content), digest, CancellationToken.None);

        Assert.True(await store.DeleteAsync(digest, CancellationToken.None));
        Assert.False(await store.DeleteAsync(digest, CancellationToken.None));
        Assert.Null(await store.StatAsync(digest, CancellationToken.None));
    }

    [Fact]
    public async Task Staging_ChunksThenCommit_MovesVerifiedBytesUnderBlobsAndRemovesStaging()
    {
        var upload = Guid.NewGuid();
        var content = RandomBytes(20_000);
        var digest = Digest.Compute(content);
        await store.CreateStagingAsync(upload, CancellationToken.None);

        var afterFirst = await store.WriteStagingAsync(upload, 0, new MemoryStream(content[..8000]), null, CancellationToken.None);
        var afterSecond = await store.WriteStagingAsync(upload, 8000, new MemoryStream(content[8000..]), null, CancellationToken.None);
        Assert.Null(await store.StatAsync(digest, CancellationToken.None));
        var committed = await store.CommitStagingAsync(upload, digest, content.Length, null, CancellationToken.None);

        Assert.Equal(8000, afterFirst);
        Assert.Equal(20_000, afterSecond);
        Assert.Equal(new IngestResult(true, digest, content.Length), committed);
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "uploads")));
    }

    [Fact]
    public async Task Staging_WriteAtEarlierOffset_DropsWhatFollowed()
    {
        var upload = Guid.NewGuid();
        await store.CreateStagingAsync(upload, CancellationToken.None);
        await store.WriteStagingAsync(upload, 0, new MemoryStream(RandomBytes(100)), null, CancellationToken.None);

        var size = await store.WriteStagingAsync(upload, 40, new MemoryStream(RandomBytes(10)), null, CancellationToken.None);

        Assert.Equal(50, size);
    }

    [Fact]
    public async Task Staging_CommitOfFewerBytesThanStaged_CommitsExactlyTheAcknowledgedOnes()
    {
        // An interrupted chunk can leave bytes past the acknowledged size; the commit keeps only the first ones.
        var upload = Guid.NewGuid();
        var content = RandomBytes(100);
        var acknowledged = content[..60];
        var digest = Digest.Compute(acknowledged);
        await store.CreateStagingAsync(upload, CancellationToken.None);
        await store.WriteStagingAsync(upload, 0, new MemoryStream(content), null, CancellationToken.None);

        var committed = await store.CommitStagingAsync(upload, digest, acknowledged.Length, null, CancellationToken.None);

        Assert.Equal(new IngestResult(true, digest, acknowledged.Length), committed);
        Assert.Equal(acknowledged, await ReadAsync(digest));
    }

    [Fact]
    public async Task Staging_WritePastTheEnd_ReturnsNull()
    {
        var upload = Guid.NewGuid();
        await store.CreateStagingAsync(upload, CancellationToken.None);

        var size = await store.WriteStagingAsync(upload, 10, new MemoryStream(RandomBytes(10)), null, CancellationToken.None);

        Assert.Null(size);
    }

    [Fact]
    public async Task Staging_UnknownUpload_WriteAndHashReturnNull()
    {
        var upload = Guid.NewGuid();

        Assert.Null(await store.WriteStagingAsync(upload, 0, new MemoryStream([1]), null, CancellationToken.None));
        Assert.Null(await store.CommitStagingAsync(upload, Digest.Compute([]), 0, null, CancellationToken.None));
    }

    [Fact]
    public async Task Staging_CommitSameDigestTwice_BothSucceedAndStagingIsGone()
    {
        var content = RandomBytes(1000);
        var digest = Digest.Compute(content);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        foreach (var upload in new[] { first, second })
        {
            await store.CreateStagingAsync(upload, CancellationToken.None);
            await store.WriteStagingAsync(upload, 0, new MemoryStream(content), null, CancellationToken.None);
        }

        await store.CommitStagingAsync(first, digest, content.Length, null, CancellationToken.None);
        await store.CommitStagingAsync(second, digest, content.Length, digest, CancellationToken.None);

        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "uploads")));
    }

    [Fact]
    public async Task DeleteStaging_RemovesTheFile()
    {
        var upload = Guid.NewGuid();
        await store.CreateStagingAsync(upload, CancellationToken.None);

        await store.DeleteStagingAsync(upload, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(Path.Combine(root, "uploads")));
    }

    [Fact]
    public async Task Constructor_LeftoverIngestFile_IsRemoved()
    {
        var leftover = Path.Combine(root, "ingest", "interrupted");
        await File.WriteAllBytesAsync(leftover, RandomBytes(10));

        _ = new FileSystemBlobStore(root);

        Assert.False(File.Exists(leftover));
    }

    private async Task<byte[]> ReadAsync(Digest digest)
    {
        var blob = await store.GetAsync(digest, CancellationToken.None);
        Assert.NotNull(blob);
        await using var stream = await blob.OpenAsync(CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Gives its bytes a few at a time, like a socket; optionally fails like a dropped connection past a point.</summary>
    private sealed class TricklingStream(byte[] content, int readSize, int failAfter = int.MaxValue) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= failAfter)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(Math.Min(count, readSize), content.Length - position);
            content.AsSpan(position, n).CopyTo(buffer.AsSpan(offset, n));
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
