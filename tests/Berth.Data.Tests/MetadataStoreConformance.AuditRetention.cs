using Berth.Access.Audit;

namespace Berth.Data.Tests;

/// <summary>Audit rows are bounded: every field is capped, and retention deletes old entries with their robots.</summary>
public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task AppendAsync_FieldsFromAnUnverifiedToken_AreCappedAndMarked()
    {
        var huge = new string('i', 15_000);

        await Audit.AppendAsync(new AuditEntry(T0, "token", "refused", Issuer: huge, Subject: huge, TokenId: huge, Reason: huge), Ct);

        var stored = Assert.Single(await Audit.QueryAsync(new AuditQuery(), Ct));
        foreach (var field in new[] { stored.Issuer, stored.Subject, stored.TokenId, stored.Reason })
        {
            Assert.Equal(AuditEntry.MaxFieldLength, field!.Length);
            Assert.EndsWith(AuditEntry.TruncatedMarker, field, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AppendBatchAsync_UnverifiedMark_RoundTrips()
    {
        await Audit.AppendBatchAsync([new AuditEntry(T0, "token", "refused", Issuer: "https://claimed") { Unverified = true }, Entry(1)], Ct);

        var entries = await Audit.QueryAsync(new AuditQuery(), Ct);

        Assert.Equal([false, true], entries.Select(e => e.Unverified));
    }

    [Fact]
    public async Task AppendAsync_FieldAtTheLimit_IsKeptWhole()
    {
        var exact = new string('s', AuditEntry.MaxFieldLength);

        await Audit.AppendAsync(new AuditEntry(T0, "token", "refused", Subject: exact), Ct);

        Assert.Equal(exact, Assert.Single(await Audit.QueryAsync(new AuditQuery(), Ct)).Subject);
    }

    [Fact]
    public async Task PurgeOlderThanAsync_DeletesOnlyOlderEntriesAndTheirRobots()
    {
        await Audit.AppendBatchAsync([Entry(0, robots: "ci"), Entry(1, robots: "ci"), Entry(2, robots: "ci"), Entry(3)], Ct);

        var removed = await Audit.PurgeOlderThanAsync(T0.AddMinutes(2), Ct);

        Assert.Equal(2, removed);
        Assert.Equal(["jti-3", "jti-2"], (await Audit.QueryAsync(new AuditQuery(), Ct)).Select(e => e.TokenId));
        Assert.Equal(["jti-2"], (await Audit.QueryAsync(new AuditQuery(Robot: "ci"), Ct)).Select(e => e.TokenId));
    }

    [Fact]
    public async Task PurgeOlderThanAsync_MoreThanOneSlice_DeletesThemAll()
    {
        await Audit.AppendBatchAsync(Enumerable.Range(0, 6000).Select(i => new AuditEntry(T0.AddSeconds(i), "pull", "accepted", Robots: "ci")).ToList(), Ct);
        await Audit.AppendAsync(Entry(24 * 60), Ct);

        var removed = await Audit.PurgeOlderThanAsync(T0.AddHours(2), Ct);

        Assert.Equal(6000, removed);
        Assert.Empty(await Audit.QueryAsync(new AuditQuery(Robot: "ci"), Ct));
        Assert.Single(await Audit.QueryAsync(new AuditQuery(), Ct));
    }
}
