using System.Globalization;
using Berth.Access.Audit;
using Berth.Audit;
using Berth.Registry.GarbageCollection;

namespace Berth.Auth;

/// <summary>Runs garbage collection for the worker or an administrator and audits what the run did.</summary>
internal sealed class GarbageCollectionRuns(GarbageCollector collector, AuditTrail audit, TimeProvider time)
{
    /// <param name="by">Who asked: an admin token's name, or <c>gc-worker</c>.</param>
    /// <returns>The report; null when another run holds the store.</returns>
    public async Task<GarbageCollectionReport?> RunAsync(GarbageCollectionRequest request, string by, string? clientIp, CancellationToken cancellationToken)
    {
        var report = await collector.RunAsync(request, cancellationToken);
        var reason = report is null
            ? "another garbage collection run holds the store"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{(report.DryRun ? "dry run" : "run")}{(report.DeleteUntagged ? " with untagged" : "")}: {report.ManifestsDeleted} manifests, {report.LinksRemoved} links, {report.BlobsDeleted} blobs, {report.BytesFreed} bytes{(report.Truncated ? ", bound reached" : "")}");
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "gc", report is null ? "refused" : "accepted", Subject: by, ClientIp: clientIp, Reason: reason), CancellationToken.None);
        return report;
    }
}
