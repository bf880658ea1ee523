using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Uploads;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Registry.Tests.Uploads;

/// <summary>
/// Chunked uploads (POST, PATCH…, PUT ?digest=) through <see cref="BlobUploadService"/> on every blob
/// store: one SQLite metadata store, and one <see cref="BlobUploadService"/> per replica on the store's
/// shared backing storage, so a replica that did not see the previous chunk has no running hash.
/// </summary>
/// <remarks>This file is compiled into the S3 store's tests too (linked), so both stores run the same tests.</remarks>
public abstract class ChunkedUploadConformance : IAsyncLifetime
{
    protected const int FiveMiB = 5 * 1024 * 1024;
    private const string Repository = "library/app";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-chunked-upload-tests", Guid.NewGuid().ToString("N"));
    private readonly List<BlobUploadService> replicas = [];

    protected static CancellationToken Ct => CancellationToken.None;

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected MetadataStores Metadata { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        Metadata = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), Time);
        await Metadata.Lifecycle.MigrateAsync(Ct);
    }

    public virtual Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }

        Metadata.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A new store instance on this test's backing storage (what another replica would open).</summary>
    protected abstract (IUploadStaging Staging, IBlobStore Blobs) OpenStore();

    [Fact]
    public async Task CompleteAsync_ChunksAlternatingBetweenReplicas_CommitsTheVerifiedBlob()
    {
        var (a, b) = (Replica(), Replica());
        var chunks = new[] { Bytes(FiveMiB + 1, seed: 1), Bytes(1, seed: 2), Bytes(FiveMiB - 1, seed: 3), Bytes(700, seed: 4) };
        var whole = chunks.SelectMany(c => c).ToArray();
        var digest = Digest.Compute(whole);
        var session = await a.StartAsync(Repository, Ct);

        await AppendAsync([a, b, a, b], session.Id, chunks);
        var result = await a.CompleteAsync(Repository, session.Id, digest, null, null, null, Ct);

        Assert.Equal(new UploadResult(UploadOutcome.Completed, session.Id, whole.Length, digest), result);
        Assert.Equal(whole, await ReadAsync(digest));
        Assert.Equal(whole.Length, await Metadata.Blobs.GetLinkedBlobSizeAsync(Repository, digest, Ct));
        Assert.Null(await b.FindAsync(Repository, session.Id, Ct));
    }

    [Fact]
    public async Task CompleteAsync_ChunksAlternatingBetweenReplicasWithTheWrongDigest_RefusesItAndCommitsNothing()
    {
        var (a, b) = (Replica(), Replica());
        var chunks = new[] { Bytes(1000, seed: 5), Bytes(FiveMiB + 1, seed: 6), Bytes(3, seed: 7) };
        var whole = chunks.SelectMany(c => c).ToArray();
        var claimed = Digest.Compute(Bytes(whole.Length, seed: 8));
        var session = await a.StartAsync(Repository, Ct);

        await AppendAsync([a, b, a], session.Id, chunks);
        var result = await b.CompleteAsync(Repository, session.Id, claimed, null, null, null, Ct);

        Assert.Equal(new UploadResult(UploadOutcome.DigestMismatch, session.Id, whole.Length, Digest.Compute(whole)), result);
        Assert.Null(await OpenStore().Blobs.StatAsync(claimed, Ct));
        Assert.Null(await OpenStore().Blobs.StatAsync(Digest.Compute(whole), Ct));
        Assert.Null(await Metadata.Blobs.GetLinkedBlobSizeAsync(Repository, claimed, Ct));
        Assert.Null(await a.FindAsync(Repository, session.Id, Ct));
    }

    [Fact]
    public async Task CompleteAsync_ChunksOfOneByteAndAroundFiveMiBOnOneReplicaThenTheLastBytesInTheClosingPut_CommitsThem()
    {
        var replica = Replica();
        var chunks = new[] { Bytes(1, seed: 9), Bytes(FiveMiB - 1, seed: 10), Bytes(FiveMiB + 1, seed: 11), Bytes(1, seed: 12) };
        var last = Bytes(4096, seed: 13);
        var whole = chunks.SelectMany(c => c).Concat(last).ToArray();
        var digest = Digest.Compute(whole);
        var session = await replica.StartAsync(Repository, Ct);

        var acknowledged = await AppendAsync([replica], session.Id, chunks);
        var result = await replica.CompleteAsync(Repository, session.Id, digest, acknowledged, acknowledged + last.Length - 1, new MemoryStream(last), Ct);

        Assert.Equal(new UploadResult(UploadOutcome.Completed, session.Id, whole.Length, digest), result);
        Assert.Equal(whole, await ReadAsync(digest));
    }

    [Fact]
    public async Task CompleteAsync_ChunksOnOneReplicaWithTheWrongDigest_RefusesItAndCommitsNothing()
    {
        var replica = Replica();
        var chunks = new[] { Bytes(FiveMiB + 1, seed: 14), Bytes(1, seed: 15) };
        var whole = chunks.SelectMany(c => c).ToArray();
        var claimed = Digest.Compute(Bytes(whole.Length, seed: 16));
        var session = await replica.StartAsync(Repository, Ct);

        await AppendAsync([replica], session.Id, chunks);
        var result = await replica.CompleteAsync(Repository, session.Id, claimed, null, null, null, Ct);

        Assert.Equal(new UploadResult(UploadOutcome.DigestMismatch, session.Id, whole.Length, Digest.Compute(whole)), result);
        Assert.Null(await OpenStore().Blobs.StatAsync(claimed, Ct));
        Assert.Null(await OpenStore().Blobs.StatAsync(Digest.Compute(whole), Ct));
        Assert.Null(await replica.FindAsync(Repository, session.Id, Ct));
    }

    protected BlobUploadService Replica()
    {
        var (staging, blobs) = OpenStore();
        var replica = new BlobUploadService(Metadata.Uploads, staging, blobs, Metadata.Blobs, new RegistryOptions(), Time);
        replicas.Add(replica);
        return replica;
    }

    /// <summary>PATCHes the chunks in order, each through the next replica of <paramref name="through"/> (round robin); returns the acknowledged size.</summary>
    protected static async Task<long> AppendAsync(IReadOnlyList<BlobUploadService> through, Guid upload, IReadOnlyList<byte[]> chunks)
    {
        long offset = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var result = await through[i % through.Count].AppendAsync(Repository, upload, offset, offset + chunks[i].Length - 1, new MemoryStream(chunks[i]), Ct);
            Assert.Equal(new UploadResult(UploadOutcome.Accepted, upload, offset + chunks[i].Length), result);
            offset = result.Size;
        }

        return offset;
    }

    protected async Task<byte[]> ReadAsync(Digest digest)
    {
        var content = await OpenStore().Blobs.GetAsync(digest, Ct);
        Assert.NotNull(content);
        await using var stream = await content.OpenAsync(Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    protected static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
