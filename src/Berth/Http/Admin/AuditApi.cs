using System.Text;
using System.Text.Json;
using Berth.Access.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/audit</c>: newest first, filtered by time range (<c>since</c>, <c>until</c>, ISO 8601),
/// robot, issuer, subject, repository, outcome, kind and reason (exact, e.g. <c>no_robot_matched</c>); paged with <c>before</c> (the <c>next</c> of the
/// previous page). <c>?format=jsonl</c> exports the matching entries as JSON lines, one per entry.
/// </summary>
internal static class AuditApi
{
    private const int MaxPage = 1000;
    private const int MaxExport = 100_000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", QueryAsync).WithTags("audit");
        api.MapGet("/audit/summary", AuditSummaryApi.SummarizeAsync).WithTags("audit");
        return api;
    }

    private static async Task<Results<Ok<AuditPage>, FileContentHttpResult, BadRequest<AdminErrors>>> QueryAsync(
        IAuditLog log,
        DateTimeOffset? since,
        DateTimeOffset? until,
        string? robot,
        string? issuer,
        string? subject,
        string? repository,
        string? outcome,
        string? kind,
        string? reason,
        long? before,
        int? limit,
        string? format,
        CancellationToken cancellationToken)
    {
        if (format is not null and not "json" and not "jsonl")
        {
            return TypedResults.BadRequest(AdminErrors.Of($"format '{format}' is not supported: use json or jsonl"));
        }

        // A misspelt outcome would silently match nothing and look like "no refusals".
        if (outcome is not null && !AuditOutcomes.IsKnown(outcome))
        {
            return TypedResults.BadRequest(AdminErrors.Of(AuditOutcomes.Unknown(outcome)));
        }

        var export = format == "jsonl";
        var query = new AuditQuery(since, until, robot, issuer, subject, repository, outcome, kind, before, Math.Clamp(limit ?? (export ? MaxExport : 100), 1, export ? MaxExport : MaxPage), reason);
        var entries = await log.QueryAsync(query, cancellationToken);
        if (export)
        {
            var lines = new StringBuilder();
            foreach (var entry in entries)
            {
                lines.Append(JsonSerializer.Serialize(entry, JsonDefaults.Options)).Append('\n');
            }

            return TypedResults.File(Encoding.UTF8.GetBytes(lines.ToString()), "application/jsonl", "audit.jsonl");
        }

        var next = entries.Count == query.Limit ? entries[^1].Id : (long?)null;
        return TypedResults.Ok(new AuditPage(entries, next));
    }
}

/// <param name="Next">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);
