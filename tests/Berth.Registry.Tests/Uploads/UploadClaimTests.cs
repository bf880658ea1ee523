using System.Security.Cryptography;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Berth.Registry.Uploads;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Registry.Tests.Uploads;

/// <summary>
/// A chunk's claim on its upload (<see cref="UploadClaim"/>) when its writer dies, stalls or keeps
/// streaming, on a fake clock. Two <see cref="BlobUploadService"/>s over one SQLite database and one
/// staging folder stand for two replicas.
/// </summary>
public sealed class UploadClaimTests : IAsyncLifetime
{
    private const string Repository = "library/app";
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-upload-claim-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly RegistryOptions options = new() { UploadClaimTimeout = ClaimTimeout };
    private readonly byte[] acknowledged = RandomNumberGenerator.GetBytes(1000);
    private MetadataStores metadata = null!;
    private FileSystemBlobStore blobs = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        metadata = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), time);
        await metadata.Lifecycle.MigrateAsync(Ct);
        blobs = new FileSystemBlobStore(Path.Combine(folder, "data"), time);
    }

    public Task DisposeAsync()
    {
        metadata.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_ClaimOfAWriterThatDiedWithinTheTimeout_AnswersRangeNotSatisfiable()
    {
        using var uploads = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(uploads);
        await LeaveClaimOfADeadWriterAsync(upload);

        time.Advance(ClaimTimeout - TimeSpan.FromSeconds(1));
        var refused = await AppendAsync(uploads, upload, 1000, RandomNumberGenerator.GetBytes(500));

        Assert.Equal(new UploadResult(UploadOutcome.RangeNotSatisfiable, upload, 1000), refused);
    }

    [Fact]
    public async Task AppendAsync_ClaimOfAWriterThatDiedPastTheTimeout_TakesOverFromTheAcknowledgedOffset()
    {
        using var uploads = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(uploads);
        await LeaveClaimOfADeadWriterAsync(upload);
        var rest = RandomNumberGenerator.GetBytes(500);

        time.Advance(ClaimTimeout);
        var resumed = await AppendAsync(uploads, upload, 1000, rest);

        Assert.Equal(new UploadResult(UploadOutcome.Accepted, upload, 1500), resumed);
        await AssertCompletesWithAsync(uploads, upload, [.. acknowledged, .. rest]);
    }

    [Fact]
    public async Task CompleteAsync_ClaimOfAWriterThatDiedPastTheTimeout_CommitsTheAcknowledgedBytes()
    {
        using var uploads = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(uploads);
        await LeaveClaimOfADeadWriterAsync(upload);

        time.Advance(ClaimTimeout);

        await AssertCompletesWithAsync(uploads, upload, acknowledged);
    }

    [Fact]
    public async Task AppendAsync_WriterRenewingItsClaimPastTheTimeout_IsNotTakenOver()
    {
        using var writer = Replica(time);
        using var other = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(writer);
        var chunk = RandomNumberGenerator.GetBytes(800);
        var body = new StallingStream(chunk, sendBefore: 300);
        var streaming = writer.AppendAsync(Repository, upload, 1000, 1799, body, Ct);
        await body.Stalled.WaitAsync(Deadline);

        for (var beat = 0; beat < 6; beat++)
        {
            time.Advance(ClaimTimeout / 4);
            await WaitUntilRenewedAsync(upload);
        }

        var refused = await AppendAsync(other, upload, 1000, RandomNumberGenerator.GetBytes(500));
        body.Release();

        Assert.Equal(new UploadResult(UploadOutcome.RangeNotSatisfiable, upload, 1000), refused);
        Assert.Equal(new UploadResult(UploadOutcome.Accepted, upload, 1800), await streaming.WaitAsync(Deadline));
        await AssertCompletesWithAsync(writer, upload, [.. acknowledged, .. chunk]);
    }

    [Fact]
    public async Task AppendAsync_WriterTakenOverBeforeItReleases_CannotRecordItsChunkOverTheNewHolders()
    {
        // The writer's process stalls (its clock does not move, its release waits) past the timeout.
        var stalledClock = new FakeTimeProvider(time.GetUtcNow());
        var store = new HeldReleaseStore(metadata.Uploads);
        using var stalled = Replica(stalledClock, store);
        using var taker = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(taker);
        var lost = RandomNumberGenerator.GetBytes(400);
        var won = RandomNumberGenerator.GetBytes(600);
        var stalledAppend = AppendAsync(stalled, upload, 1000, lost);
        await store.ReleaseArrived.WaitAsync(Deadline);

        time.Advance(ClaimTimeout);
        var takenOver = await AppendAsync(taker, upload, 1000, won);
        store.LetReleaseGo();

        Assert.Equal(new UploadResult(UploadOutcome.Accepted, upload, 1600), takenOver);
        Assert.Equal(new UploadResult(UploadOutcome.RangeNotSatisfiable, upload, 1600), await stalledAppend.WaitAsync(Deadline));
        await AssertCompletesWithAsync(taker, upload, [.. acknowledged, .. won]);
    }

    [Fact]
    public async Task AppendAsync_ClaimTakenOverWhileStreaming_StopsWritingWithoutReleasingTheNewClaim()
    {
        using var writer = Replica(time);
        var upload = await StartWithAcknowledgedChunkAsync(writer);
        var body = new StallingStream(RandomNumberGenerator.GetBytes(800), sendBefore: 300);
        var streaming = writer.AppendAsync(Repository, upload, 1000, 1799, body, Ct);
        await body.Stalled.WaitAsync(Deadline);

        // Another replica, whose clock runs past the writer's last renewal, takes the claim over.
        var claimed = await metadata.Uploads.GetUploadAsync(upload, Ct);
        var takenAt = time.GetUtcNow() + ClaimTimeout + TimeSpan.FromSeconds(1);
        Assert.True(await metadata.Uploads.UpdateUploadProgressAsync(upload, claimed!.Size, claimed.UpdatedAt, UploadClaim.Claimed(1000), takenAt, Ct));
        time.Advance(ClaimTimeout / 4);

        Assert.Equal(new UploadResult(UploadOutcome.RangeNotSatisfiable, upload, 1000), await streaming.WaitAsync(Deadline));
        var after = await metadata.Uploads.GetUploadAsync(upload, Ct);
        Assert.Equal((UploadClaim.Claimed(1000), takenAt.ToUnixTimeMilliseconds()), (after!.Size, after.UpdatedAt.ToUnixTimeMilliseconds()));
    }

    private BlobUploadService Replica(TimeProvider clock, IUploadSessionStore? sessions = null) =>
        new(sessions ?? metadata.Uploads, blobs, blobs, metadata.Blobs, options, clock);

    private async Task<Guid> StartWithAcknowledgedChunkAsync(BlobUploadService uploads)
    {
        var session = await uploads.StartAsync(Repository, Ct);
        Assert.Equal(UploadOutcome.Accepted, (await AppendAsync(uploads, session.Id, 0, acknowledged)).Outcome);
        return session.Id;
    }

    /// <summary>What a process killed mid-chunk leaves: the session claimed at 1000, some bytes staged past it.</summary>
    private async Task LeaveClaimOfADeadWriterAsync(Guid upload)
    {
        var session = await metadata.Uploads.GetUploadAsync(upload, Ct);
        Assert.True(await metadata.Uploads.UpdateUploadProgressAsync(upload, 1000, session!.UpdatedAt, UploadClaim.Claimed(1000), time.GetUtcNow(), Ct));
        await blobs.WriteStagingAsync(upload, 1000, new MemoryStream(RandomNumberGenerator.GetBytes(700)), null, Ct);
    }

    private static Task<UploadResult> AppendAsync(BlobUploadService uploads, Guid upload, long offset, byte[] chunk) =>
        uploads.AppendAsync(Repository, upload, offset, offset + chunk.Length - 1, new MemoryStream(chunk), Ct);

    private async Task AssertCompletesWithAsync(BlobUploadService uploads, Guid upload, byte[] content)
    {
        var digest = Digest.Compute(content);
        var completed = await uploads.CompleteAsync(Repository, upload, digest, null, null, null, Ct);
        Assert.Equal(new UploadResult(UploadOutcome.Completed, upload, content.Length, digest), completed);
        Assert.Equal(content.Length, await blobs.StatAsync(digest, Ct));
    }

    /// <summary>Bounded wait until the writer's heartbeat stored the fake clock's current time.</summary>
    private async Task WaitUntilRenewedAsync(Guid upload)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var deadline = DateTime.UtcNow + Deadline;
        while ((await metadata.Uploads.GetUploadAsync(upload, Ct))?.UpdatedAt.ToUnixTimeMilliseconds() != now)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer did not renew its claim");
            await Task.Delay(10);
        }
    }

    /// <summary>The real store, except that the first release of a claim waits until the test lets it go.</summary>
    private sealed class HeldReleaseStore(IUploadSessionStore inner) : IUploadSessionStore
    {
        private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource letGo = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ReleaseArrived => arrived.Task;

        public void LetReleaseGo() => letGo.TrySetResult();

        public Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken) => inner.CreateUploadAsync(session, cancellationToken);

        public Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken) => inner.GetUploadAsync(id, cancellationToken);

        public async Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, DateTimeOffset expectedUpdatedAt, long newSize, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (UploadClaim.IsClaimed(expectedSize) && !UploadClaim.IsClaimed(newSize) && arrived.TrySetResult())
            {
                await letGo.Task.WaitAsync(Deadline, cancellationToken);
            }

            return await inner.UpdateUploadProgressAsync(id, expectedSize, expectedUpdatedAt, newSize, at, cancellationToken);
        }

        public Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken) => inner.DeleteUploadAsync(id, cancellationToken);

        public Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken) =>
            inner.ListExpiredUploadsAsync(idleSince, limit, cancellationToken);

        public Task<int> ReleaseUploadClaimsAsync(CancellationToken cancellationToken) => inner.ReleaseUploadClaimsAsync(cancellationToken);
    }
}
