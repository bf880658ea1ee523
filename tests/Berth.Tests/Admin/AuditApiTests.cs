using System.Net;
using System.Text.Json;
using Berth.Access.Audit;
using Berth.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Admin;

/// <summary>The audit log through the API: filters, paging and JSON-lines export.</summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private AdminRegistry admin = null!;

    public async Task InitializeAsync()
    {
        admin = await AdminRegistry.StartAsync();
        await admin.Registry.TokenAsync(admin.Registry.GitHubToken());
        await admin.Registry.TokenAsync(admin.Registry.KubernetesToken());
        (await admin.Registry.RequestTokenAsync(admin.Registry.GitHubToken(c => c["repository_owner_id"] = "1"))).Dispose();
        await admin.Registry.AuditAsync(e => e.Outcome == "refused" && e.Kind == "token");
    }

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Query_ByRobotAndOutcome_ReturnsOnlyMatchingEntries()
    {
        var (_, byRobot) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?robot=cluster-pull");
        var (_, refused) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?outcome=refused&kind=token");

        Assert.Equal(["cluster-pull"], byRobot.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("robots").GetString()));
        var entry = Assert.Single(refused.GetProperty("entries").EnumerateArray());
        Assert.Equal("no_robot_matched", entry.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Query_ByReason_ReturnsOnlyThatReason()
    {
        var (status, matched) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?reason=no_robot_matched");
        var (_, none) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?reason=no_robot");

        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(matched.GetProperty("entries").EnumerateArray());
        Assert.Equal("refused", entry.GetProperty("outcome").GetString());
        Assert.Empty(none.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task Summary_LastDay_CountsExchangesOfTheCurrentHourAndTheTopRefusal()
    {
        var (status, summary) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit/summary");

        Assert.Equal(HttpStatusCode.OK, status);
        var hours = summary.GetProperty("hours").EnumerateArray().ToList();
        Assert.Equal(25, hours.Count); // the hour 24 h ago (partly in range) up to the current one
        Assert.Equal(2, hours.Sum(h => h.GetProperty("accepted").GetInt32()));
        Assert.Equal(1, hours[^1].GetProperty("refused").GetInt32());
        var top = Assert.Single(summary.GetProperty("topRefusals").EnumerateArray());
        Assert.Equal(("no_robot_matched", 1), (top.GetProperty("reason").GetString(), top.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Summary_MoreExchangesThanTheOldReadLimit_CountsEveryOne()
    {
        var log = admin.Registry.Services.GetRequiredService<IAuditLog>();
        var twoHoursAgo = admin.Registry.Time.GetUtcNow().AddHours(-2);
        var flood = Enumerable.Range(0, 25_000).Select(i => new AuditEntry(twoHoursAgo, "token", AuditOutcomes.Refused, Reason: "token_expired")).ToList();
        await log.AppendBatchAsync(flood, CancellationToken.None);

        var (_, summary) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit/summary");

        var hours = summary.GetProperty("hours").EnumerateArray().ToList();
        Assert.Equal((2, 25_001), (hours.Sum(h => h.GetProperty("accepted").GetInt32()), hours.Sum(h => h.GetProperty("refused").GetInt32())));
        Assert.Equal(25_000, hours[^3].GetProperty("refused").GetInt32());
        var top = summary.GetProperty("topRefusals").EnumerateArray().Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("count").GetInt32()));
        Assert.Equal([("token_expired", 25_000), ("no_robot_matched", 1)], top);
    }

    [Fact]
    public async Task Summary_RangeOverAWeek_Returns400()
    {
        var since = Uri.EscapeDataString(admin.Registry.Time.GetUtcNow().AddDays(-8).ToString("O"));

        var (status, body) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/audit/summary?since={since}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 7 days", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_ByIssuerAndTimeRange_FiltersBoth()
    {
        var now = Uri.EscapeDataString(admin.Registry.Time.GetUtcNow().AddMinutes(-1).ToString("O"));
        var (_, recent) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/audit?kind=token&issuer={Uri.EscapeDataString("https://kubernetes.default.svc.cluster.local")}&since={now}");
        var future = Uri.EscapeDataString(admin.Registry.Time.GetUtcNow().AddHours(1).ToString("O"));
        var (_, none) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/audit?kind=token&since={future}");

        Assert.Single(recent.GetProperty("entries").EnumerateArray());
        Assert.Empty(none.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task Query_PagedWithBefore_WalksOlderEntries()
    {
        var (_, first) = await admin.CallAsync(HttpMethod.Get, "/api/v1/audit?kind=token&limit=2");
        var next = first.GetProperty("next").GetInt64();
        var (_, second) = await admin.CallAsync(HttpMethod.Get, $"/api/v1/audit?kind=token&limit=2&before={next}");

        Assert.Equal(2, first.GetProperty("entries").GetArrayLength());
        var older = Assert.Single(second.GetProperty("entries").EnumerateArray());
        Assert.True(older.GetProperty("id").GetInt64() < next);
        Assert.False(second.TryGetProperty("next", out _));
    }

    [Fact]
    public async Task Export_Jsonl_OneEntryPerLine()
    {
        using var response = await admin.SendAsync(HttpMethod.Get, "/api/v1/audit?kind=token&format=jsonl");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Equal("token", JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString()));
    }
}
