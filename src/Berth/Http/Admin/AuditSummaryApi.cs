using Berth.Access.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/audit/summary</c>: token exchanges per hour by outcome and the most frequent refusal
/// reasons, over <c>since</c>..<c>until</c> (the last 24 hours by default, at most 7 days), optionally for
/// one robot or issuer. The console draws its chart from it and links each reason to its troubleshooting
/// entry. The audit store counts every exchange in the range with GROUP BY queries, so a page view reads no
/// entries, however busy the registry.
/// </summary>
internal static class AuditSummaryApi
{
    private const int TopReasons = 10;
    private static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(7);

    public static async Task<Results<Ok<AuditSummary>, BadRequest<AdminErrors>>> SummarizeAsync(
        IAuditLog log,
        TimeProvider time,
        DateTimeOffset? since,
        DateTimeOffset? until,
        string? robot,
        string? issuer,
        CancellationToken cancellationToken)
    {
        var to = until ?? time.GetUtcNow();
        var from = since ?? to - DefaultRange;
        if (from >= to)
        {
            return TypedResults.BadRequest(AdminErrors.Of("since: must be before until"));
        }

        if (to - from > MaxRange)
        {
            return TypedResults.BadRequest(AdminErrors.Of("since: the summary covers at most 7 days (one bar per hour); narrow since and until"));
        }

        var firstHour = new DateTimeOffset(from.UtcDateTime.Ticks - (from.UtcDateTime.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var hours = new List<HourCount>();
        for (var hour = firstHour; hour <= to; hour = hour.AddHours(1))
        {
            hours.Add(new HourCount(hour, 0, 0));
        }

        var counts = await log.CountAsync(new AuditQuery(from, to, robot, issuer, Kind: "token"), cancellationToken);
        foreach (var count in counts.Hours)
        {
            var index = (int)((count.Hour - firstHour).Ticks / TimeSpan.TicksPerHour);
            hours[index] = count.Outcome == AuditOutcomes.Refused
                ? hours[index] with { Refused = hours[index].Refused + count.Count }
                : hours[index] with { Accepted = hours[index].Accepted + count.Count };
        }

        var top = counts.RefusedReasons.GroupBy(r => r.Reason ?? "(none)", StringComparer.Ordinal).Select(g => new ReasonCount(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).Take(TopReasons).ToList();
        return TypedResults.Ok(new AuditSummary(from, to, hours, top));
    }
}

/// <param name="Hours">One bar per hour (UTC, the hour's start), oldest first, empty hours included.</param>
/// <param name="TopRefusals">The most frequent reasons of refused exchanges, most frequent first.</param>
internal sealed record AuditSummary(DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<HourCount> Hours, IReadOnlyList<ReasonCount> TopRefusals);

internal sealed record HourCount(DateTimeOffset Hour, long Accepted, long Refused);

internal sealed record ReasonCount(string Reason, long Count);
