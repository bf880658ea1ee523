using Berth.Access.Audit;

namespace Berth.Data.Tests;

public abstract partial class MetadataStoreConformance
{
    [Fact]
    public async Task AppendAsync_ThenQuery_RoundTripsEveryFieldWithAssignedId()
    {
        var entry = new AuditEntry(
            T0, "push", "accepted", "https://gitlab.example.com", "project_path:acme/app", "jti-1", "ci, deploy",
            "acme/app", "v1", D("m").ToString(), "192.0.2.7", "pushed");

        await Audit.AppendAsync(entry, Ct);

        var stored = Assert.Single(await Audit.QueryAsync(new AuditQuery(), Ct));
        Assert.True(stored.Id > 0);
        Assert.Equal(entry with { Id = stored.Id }, stored);
    }

    [Fact]
    public async Task AppendBatchAsync_SeveralEntries_StoresAllInOrderWithTheirRobots()
    {
        var batch = Enumerable.Range(0, 50).Select(i => Entry(i, robots: i % 2 == 0 ? "ci" : "deploy")).ToList();

        await Audit.AppendBatchAsync(batch, Ct);

        var entries = await Audit.QueryAsync(new AuditQuery(Limit: 100), Ct);
        Assert.Equal(batch.Select(e => e.TokenId).Reverse(), entries.Select(e => e.TokenId));
        Assert.Equal(25, (await Audit.QueryAsync(new AuditQuery(Robot: "ci", Limit: 100), Ct)).Count);
    }

    [Fact]
    public async Task AppendBatchAsync_RobotsWithSpacesRepeatsAndNone_LinksEachNamedRobotOnceToItsEntry()
    {
        // PostgreSQL splits the robots of a whole batch in SQL: it must split as one entry at a time did.
        await Audit.AppendBatchAsync([Entry(0, robots: " ci , deploy,ci"), Entry(1), Entry(2, robots: ",build,,"), Entry(3, robots: "deploy")], Ct);

        Assert.Equal(["jti-0"], (await Audit.QueryAsync(new AuditQuery(Robot: "ci"), Ct)).Select(e => e.TokenId));
        Assert.Equal(["jti-3", "jti-0"], (await Audit.QueryAsync(new AuditQuery(Robot: "deploy"), Ct)).Select(e => e.TokenId));
        Assert.Equal(["jti-2"], (await Audit.QueryAsync(new AuditQuery(Robot: "build"), Ct)).Select(e => e.TokenId));
        Assert.Empty(await Audit.QueryAsync(new AuditQuery(Robot: " ci "), Ct));
        Assert.Equal(["jti-3", "jti-2", "jti-1", "jti-0"], (await Audit.QueryAsync(new AuditQuery(), Ct)).Select(e => e.TokenId));
    }

    [Fact]
    public async Task QueryAsync_NoFilter_ReturnsNewestFirstWithIncreasingIds()
    {
        for (var i = 0; i < 5; i++)
        {
            await Audit.AppendAsync(Entry(i), Ct);
        }

        var entries = await Audit.QueryAsync(new AuditQuery(), Ct);

        Assert.Equal(["jti-4", "jti-3", "jti-2", "jti-1", "jti-0"], entries.Select(e => e.TokenId));
        Assert.Equal(entries.Select(e => e.Id).OrderDescending(), entries.Select(e => e.Id));
    }

    [Fact]
    public async Task QueryAsync_BeforeIdAndLimit_PagesThroughEveryEntryOnce()
    {
        for (var i = 0; i < 23; i++)
        {
            await Audit.AppendAsync(Entry(i), Ct);
        }

        var seen = new List<string?>();
        long? before = null;
        while (true)
        {
            var page = await Audit.QueryAsync(new AuditQuery(BeforeId: before, Limit: 10), Ct);
            Assert.True(page.Count <= 10);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(e => e.TokenId));
            before = page[^1].Id;
        }

        Assert.Equal(Enumerable.Range(0, 23).Reverse().Select(i => $"jti-{i}"), seen);
    }

    [Fact]
    public async Task QueryAsync_TimeRange_IsInclusiveAtBothEnds()
    {
        for (var i = 0; i < 6; i++)
        {
            await Audit.AppendAsync(Entry(i), Ct);
        }

        var entries = await Audit.QueryAsync(new AuditQuery(From: T0.AddMinutes(2), To: T0.AddMinutes(4)), Ct);

        Assert.Equal(["jti-4", "jti-3", "jti-2"], entries.Select(e => e.TokenId));
    }

    [Fact]
    public async Task QueryAsync_RobotFilter_MatchesOneNameOfTheListExactly()
    {
        await Audit.AppendAsync(Entry(0, robots: "ci"), Ct);
        await Audit.AppendAsync(Entry(1, robots: "deploy,ci"), Ct);
        await Audit.AppendAsync(Entry(2, robots: "build, ci ,deploy"), Ct);
        await Audit.AppendAsync(Entry(3, robots: "ci-nightly"), Ct);
        await Audit.AppendAsync(Entry(4, robots: "c_i"), Ct);
        await Audit.AppendAsync(Entry(5), Ct);

        var entries = await Audit.QueryAsync(new AuditQuery(Robot: "ci"), Ct);

        Assert.Equal(["jti-2", "jti-1", "jti-0"], entries.Select(e => e.TokenId));
        Assert.Equal("build, ci ,deploy", entries[0].Robots);
    }

    [Fact]
    public async Task QueryAsync_ColumnFilters_MatchExactly()
    {
        await Audit.AppendAsync(Entry(0, kind: "token", outcome: "refused", issuer: "https://a", subject: "s1"), Ct);
        await Audit.AppendAsync(Entry(1, kind: "push", outcome: "accepted", issuer: "https://a", subject: "s2", repository: "acme/app"), Ct);
        await Audit.AppendAsync(Entry(2, kind: "pull", outcome: "accepted", issuer: "https://b", subject: "s1", repository: "acme/app"), Ct);
        await Audit.AppendAsync(Entry(3, kind: "delete", outcome: "refused", issuer: "https://b", subject: "s2", repository: "acme/other"), Ct);

        async Task<string[]> Ids(AuditQuery query) => (await Audit.QueryAsync(query, Ct)).Select(e => e.TokenId ?? "").ToArray();

        Assert.Equal(["jti-1", "jti-0"], await Ids(new AuditQuery(Issuer: "https://a")));
        Assert.Equal(["jti-2", "jti-0"], await Ids(new AuditQuery(Subject: "s1")));
        Assert.Equal(["jti-2", "jti-1"], await Ids(new AuditQuery(Repository: "acme/app")));
        Assert.Equal(["jti-3", "jti-0"], await Ids(new AuditQuery(Outcome: "refused")));
        Assert.Equal(["jti-1"], await Ids(new AuditQuery(Kind: "push")));
        Assert.Equal(["jti-3"], await Ids(new AuditQuery(Issuer: "https://b", Subject: "s2", Outcome: "refused")));
        Assert.Empty(await Ids(new AuditQuery(Issuer: "https://a", Kind: "delete")));
    }

    [Fact]
    public async Task QueryAsync_ReasonFilter_MatchesTheWholeReasonOnly()
    {
        await Audit.AppendAsync(Entry(0, outcome: "refused") with { Reason = "no_robot_matched" }, Ct);
        await Audit.AppendAsync(Entry(1, outcome: "refused") with { Reason = "audience_mismatch" }, Ct);
        await Audit.AppendAsync(Entry(2, outcome: "refused") with { Reason = "no_robot_matched" }, Ct);

        var entries = await Audit.QueryAsync(new AuditQuery(Reason: "no_robot_matched"), Ct);

        Assert.Equal(["jti-2", "jti-0"], entries.Select(e => e.TokenId));
        Assert.Empty(await Audit.QueryAsync(new AuditQuery(Reason: "no_robot"), Ct));
    }

    [Fact]
    public async Task QueryAsync_FiltersWithPaging_PagesWithinTheFilter()
    {
        for (var i = 0; i < 10; i++)
        {
            await Audit.AppendAsync(Entry(i, outcome: i % 2 == 0 ? "accepted" : "refused", robots: "ci"), Ct);
        }

        var first = await Audit.QueryAsync(new AuditQuery(Robot: "ci", Outcome: "refused", Limit: 3), Ct);
        var second = await Audit.QueryAsync(new AuditQuery(Robot: "ci", Outcome: "refused", BeforeId: first[^1].Id, Limit: 3), Ct);

        Assert.Equal(["jti-9", "jti-7", "jti-5"], first.Select(e => e.TokenId));
        Assert.Equal(["jti-3", "jti-1"], second.Select(e => e.TokenId));
    }
}
