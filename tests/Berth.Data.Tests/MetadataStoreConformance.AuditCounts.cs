using Berth.Access.Audit;

namespace Berth.Data.Tests;

/// <summary>The audit summary's counts: GROUP BY in the database, the same on every provider.</summary>
public abstract partial class MetadataStoreConformance
{
    private static readonly DateTimeOffset NineOClock = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CountAsync_EntriesOverTwoHours_CountsPerHourAndOutcomeAndRefusalsPerReason()
    {
        // T0 is 09:26:53: minutes 0-33 fall in the 09:00 hour, 34 and later in the 10:00 hour.
        await Audit.AppendBatchAsync(
        [
            Entry(0), Entry(1), Entry(2, outcome: "refused") with { Reason = "no_robot_matched" },
            Entry(33, outcome: "refused") with { Reason = "audience_mismatch" },
            Entry(34), Entry(35, outcome: "refused") with { Reason = "no_robot_matched" }, Entry(36, outcome: "refused"),
        ], Ct);

        var counts = await Audit.CountAsync(new AuditQuery(), Ct);

        Assert.Equal(
            [(NineOClock, "accepted", 2L), (NineOClock, "refused", 2L), (NineOClock.AddHours(1), "accepted", 1L), (NineOClock.AddHours(1), "refused", 2L)],
            counts.Hours.Select(h => (h.Hour, h.Outcome, h.Count)).Order());
        Assert.Equal(
            [(null, 1L), ("audience_mismatch", 1L), ("no_robot_matched", 2L)],
            counts.RefusedReasons.Select(r => (r.Reason, r.Count)).OrderBy(r => r.Reason, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CountAsync_Filters_CountOnlyMatchingEntriesAndIgnorePaging()
    {
        await Audit.AppendBatchAsync(
        [
            Entry(0, robots: "ci", issuer: "https://a"), Entry(1, robots: "ci", issuer: "https://b"),
            Entry(2, kind: "pull", robots: "ci", issuer: "https://a"),
            Entry(3, outcome: "refused", robots: "deploy", issuer: "https://a") with { Reason = "no_robot_matched" },
            Entry(4, outcome: "refused", robots: "ci, deploy", issuer: "https://a") with { Reason = "token_expired" },
            Entry(90, robots: "ci", issuer: "https://a"),
        ], Ct);

        var counts = await Audit.CountAsync(new AuditQuery(From: T0, To: T0.AddMinutes(60), Robot: "ci", Issuer: "https://a", Kind: "token", BeforeId: 1, Limit: 1), Ct);

        Assert.Equal([(NineOClock, "accepted", 1L), (NineOClock, "refused", 1L)], counts.Hours.Select(h => (h.Hour, h.Outcome, h.Count)).Order());
        Assert.Equal(("token_expired", 1L), Assert.Single(counts.RefusedReasons.Select(r => (r.Reason, r.Count))));
    }

    [Fact]
    public async Task CountAsync_NothingInRange_CountsNothing()
    {
        await Audit.AppendAsync(Entry(0), Ct);

        var counts = await Audit.CountAsync(new AuditQuery(From: T0.AddDays(1)), Ct);

        Assert.Empty(counts.Hours);
        Assert.Empty(counts.RefusedReasons);
    }
}
