using Berth.Access.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/audit/summary</c>: token exchanges per hour by outcome and the most frequent refusal
/// reasons, over <c>since</c>..<c>until</c> (the last 24 hours by default, at most 7 days), optionally for
/// one robot or issuer. The console draws its chart from it and links each reason to its troubleshooting
/// entry. It counts the stored entries it reads, newest first, up to <see cref="MaxEntries"/>; past that it
/// says <c>truncated</c> and covers the newest part of the range only, so a page view stays cheap on a
/// busy registry.
/// </summary>
internal static class AuditSummaryApi
{
    public const int MaxEntries = 20_000;
    private const int PageSize = 1000;
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

        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = 0;
        long? before = null;
        var truncated = false;
        while (true)
        {
            var page = await log.QueryAsync(new AuditQuery(from, to, robot, issuer, Kind: "token", BeforeId: before, Limit: PageSize), cancellationToken);
            foreach (var entry in page)
            {
                var index = (int)((entry.At - firstHour).Ticks / TimeSpan.TicksPerHour);
                var refused = entry.Outcome == AuditOutcomes.Refused;
                var count = hours[index];
                hours[index] = refused ? count with { Refused = count.Refused + 1 } : count with { Accepted = count.Accepted + 1 };
                if (refused)
                {
                    var reason = entry.Reason ?? "(none)";
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }
            }

            read += page.Count;
            if (page.Count < PageSize)
            {
                break;
            }

            if (read >= MaxEntries)
            {
                truncated = true;
                break;
            }

            before = page[^1].Id;
        }

        var top = reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(TopReasons)
            .Select(r => new ReasonCount(r.Key, r.Value)).ToList();
        return TypedResults.Ok(new AuditSummary(from, to, hours, top, truncated));
    }
}

/// <param name="Hours">One bar per hour (UTC, the hour's start), oldest first, empty hours included.</param>
/// <param name="TopRefusals">The most frequent reasons of refused exchanges, most frequent first.</param>
/// <param name="Truncated">More than <see cref="AuditSummaryApi.MaxEntries"/> exchanges: only the newest were counted.</param>
internal sealed record AuditSummary(DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<HourCount> Hours, IReadOnlyList<ReasonCount> TopRefusals, bool Truncated);

internal sealed record HourCount(DateTimeOffset Hour, int Accepted, int Refused);

internal sealed record ReasonCount(string Reason, int Count);
