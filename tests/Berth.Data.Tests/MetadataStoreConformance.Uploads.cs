using Berth.Registry.Metadata;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task CreateUploadAsync_ThenGet_RoundTrips()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0.AddSeconds(1));

        await Uploads.CreateUploadAsync(session, Ct);

        Assert.Equal(session, await Uploads.GetUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task CreateUploadAsync_NothingPushedYet_DoesNotCreateRepository()
    {
        await Uploads.CreateUploadAsync(new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0), Ct);

        Assert.False(await Repositories.RepositoryExistsAsync("acme/app", Ct));
    }

    [Fact]
    public async Task GetUploadAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await Uploads.GetUploadAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_ExpectedSizeMatches_RecordsProgress()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);

        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, 1024, T0.AddSeconds(5), Ct));
        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, 1024, T0.AddSeconds(5), 4096, T0.AddSeconds(9), Ct));

        Assert.Equal(session with { Size = 4096, UpdatedAt = T0.AddSeconds(9) }, await Uploads.GetUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_StaleExpectedSize_ReturnsFalseAndChangesNothing()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);
        await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, 100, T0.AddSeconds(1), Ct);

        Assert.False(await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, 200, T0.AddSeconds(2), Ct));

        Assert.Equal(session with { Size = 100, UpdatedAt = T0.AddSeconds(1) }, await Uploads.GetUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_SameSizeButLaterActivity_ReturnsFalseAndChangesNothing()
    {
        // A chunk claim taken over keeps its size (-(N+1)) and gets a new time: the old holder's
        // renewal or release, which expects the old time, must not touch the new holder's claim.
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);
        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, -1, T0.AddSeconds(1), Ct));
        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, -1, T0.AddSeconds(1), -1, T0.AddMinutes(1), Ct));

        Assert.False(await Uploads.UpdateUploadProgressAsync(session.Id, -1, T0.AddSeconds(1), 4096, T0.AddMinutes(2), Ct));

        Assert.Equal(session with { Size = -1, UpdatedAt = T0.AddMinutes(1) }, await Uploads.GetUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_ExpectedTimeWithinTheSameMillisecond_RecordsProgress()
    {
        // Callers pass back the time they wrote, which may carry ticks the store does not keep.
        var claimedAt = T0.AddTicks(4321);
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);
        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, -1, claimedAt, Ct));

        Assert.True(await Uploads.UpdateUploadProgressAsync(session.Id, -1, claimedAt, 10, T0.AddSeconds(2), Ct));
    }

    [Fact]
    public async Task ReleaseUploadClaimsAsync_ClaimedSessions_GoBackToTheirAcknowledgedSizeKeepingTheirActivity()
    {
        var claimed = new UploadSession(Guid.NewGuid(), "acme/app", -4097, T0, T0.AddSeconds(3));
        var claimedAtZero = new UploadSession(Guid.NewGuid(), "acme/app", -1, T0, T0.AddSeconds(4));
        var idle = new UploadSession(Guid.NewGuid(), "acme/app", 512, T0, T0.AddSeconds(5));
        foreach (var session in new[] { claimed, claimedAtZero, idle })
        {
            await Uploads.CreateUploadAsync(session, Ct);
        }

        Assert.Equal(2, await Uploads.ReleaseUploadClaimsAsync(Ct));

        Assert.Equal(claimed with { Size = 4096 }, await Uploads.GetUploadAsync(claimed.Id, Ct));
        Assert.Equal(claimedAtZero with { Size = 0 }, await Uploads.GetUploadAsync(claimedAtZero.Id, Ct));
        Assert.Equal(idle, await Uploads.GetUploadAsync(idle.Id, Ct));
        Assert.Equal(0, await Uploads.ReleaseUploadClaimsAsync(Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_UnknownSession_ReturnsFalse()
    {
        Assert.False(await Uploads.UpdateUploadProgressAsync(Guid.NewGuid(), 0, T0, 10, T0, Ct));
    }

    [Fact]
    public async Task UpdateUploadProgressAsync_ConcurrentChunksFromSameOffset_ExactlyOneWins()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Task.Run(() => Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, i * 10, T0.AddSeconds(i), Ct))));

        Assert.Single(results, won => won);
        var stored = await Uploads.GetUploadAsync(session.Id, Ct);
        Assert.Equal((Array.IndexOf(results, true) + 1) * 10, stored?.Size);
    }

    [Fact]
    public async Task DeleteUploadAsync_Existing_RemovesItAndReturnsTrue()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);

        Assert.True(await Uploads.DeleteUploadAsync(session.Id, Ct));

        Assert.Null(await Uploads.GetUploadAsync(session.Id, Ct));
        Assert.False(await Uploads.DeleteUploadAsync(session.Id, Ct));
    }

    [Fact]
    public async Task ListExpiredUploadsAsync_SomeIdle_ReturnsIdleOnesOldestFirstUpToLimit()
    {
        var sessions = Enumerable.Range(0, 5)
            .Select(i => new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0.AddMinutes(10 - i)))
            .ToList();
        foreach (var session in sessions)
        {
            await Uploads.CreateUploadAsync(session, Ct);
        }

        // Idle since before T0+8min: the sessions last active at +6, +7 (and not +8, +9, +10).
        var expired = await Uploads.ListExpiredUploadsAsync(T0.AddMinutes(8), 10, Ct);
        Assert.Equal([sessions[4], sessions[3]], expired);

        Assert.Equal([sessions[4]], await Uploads.ListExpiredUploadsAsync(T0.AddMinutes(8), 1, Ct));
        Assert.Empty(await Uploads.ListExpiredUploadsAsync(T0, 10, Ct));
    }

    [Fact]
    public async Task ListExpiredUploadsAsync_AfterProgress_UsesLastActivity()
    {
        var session = new UploadSession(Guid.NewGuid(), "acme/app", 0, T0, T0);
        await Uploads.CreateUploadAsync(session, Ct);
        await Uploads.UpdateUploadProgressAsync(session.Id, 0, T0, 10, T0.AddHours(1), Ct);

        Assert.Empty(await Uploads.ListExpiredUploadsAsync(T0.AddMinutes(30), 10, Ct));
    }
}
