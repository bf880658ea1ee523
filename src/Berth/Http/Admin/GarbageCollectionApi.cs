using Berth.Auth;
using Berth.Registry.GarbageCollection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>POST /api/v1/gc?dryRun=true&amp;deleteUntagged=true</c>: one garbage collection run now, answered
/// with what it removed (or would remove); 409 while another run holds the store.
/// </summary>
internal static class GarbageCollectionApi
{
    public static RouteGroupBuilder MapGarbageCollectionApi(this RouteGroupBuilder api)
    {
        api.MapPost("/gc", RunAsync).WithTags("gc");
        return api;
    }

    private static async Task<Results<Ok<GarbageCollectionView>, Conflict<AdminErrors>>> RunAsync(
        HttpContext context, GarbageCollectionRuns runs, bool? dryRun, bool? deleteUntagged, CancellationToken cancellationToken)
    {
        var request = new GarbageCollectionRequest(dryRun ?? false, deleteUntagged ?? false);
        var admin = AdminAuthFilter.AdminOf(context);
        var report = await runs.RunAsync(request, admin.Name, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return report is null
            ? TypedResults.Conflict(AdminErrors.Of("another garbage collection run holds the store; try again when it has finished"))
            : TypedResults.Ok(GarbageCollectionView.From(report));
    }
}

/// <summary>The API's answer: counts, bytes and the run's duration in milliseconds.</summary>
internal sealed record GarbageCollectionView(
    bool DryRun,
    bool DeleteUntagged,
    int ManifestsDeleted,
    int LinksRemoved,
    int BlobsDeleted,
    long BytesFreed,
    bool Truncated,
    DateTimeOffset StartedAt,
    long DurationMs)
{
    public static GarbageCollectionView From(GarbageCollectionReport report) => new(
        report.DryRun,
        report.DeleteUntagged,
        report.ManifestsDeleted,
        report.LinksRemoved,
        report.BlobsDeleted,
        report.BytesFreed,
        report.Truncated,
        report.StartedAt,
        (long)report.Duration.TotalMilliseconds);
}
