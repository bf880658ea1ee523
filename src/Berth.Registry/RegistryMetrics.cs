using System.Diagnostics.Metrics;

namespace Berth.Registry;

/// <summary>
/// The registry core's instruments (meter <c>Berth.Registry</c>); the host exports them (docs/operations.md
/// lists every one). Labels are bounded: no repository name, digest or caller ever becomes one.
/// </summary>
public static class RegistryMetrics
{
    public const string MeterName = "Berth.Registry";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Bytes committed by pushes, by <c>kind</c> (<c>blob</c> or <c>manifest</c>): verified and stored, not merely received.</summary>
    public static Counter<long> Pushed { get; } = Meter.CreateCounter<long>("berth.registry.pushed", "By", "Bytes of blobs and manifests committed by pushes");

    /// <summary>Bytes served to pulls, by <c>kind</c>; a redirect to S3 counts on S3's side, not here.</summary>
    public static Counter<long> Pulled { get; } = Meter.CreateCounter<long>("berth.registry.pulled", "By", "Bytes of blobs and manifests served to pulls");

    /// <summary>
    /// Upload sessions opened by this process minus those it closed (completed, cancelled, refused, expired).
    /// A session closed by another replica counts down there, so the sum over replicas is the truth.
    /// </summary>
    public static UpDownCounter<long> UploadsInProgress { get; } = Meter.CreateUpDownCounter<long>("berth.registry.uploads.active", "{upload}", "Upload sessions in progress");

    /// <summary>Garbage collection runs that did their work (a run that found the lease taken is not one), by <c>dry_run</c>.</summary>
    public static Counter<long> GcRuns { get; } = Meter.CreateCounter<long>("berth.gc.runs", "{run}", "Garbage collection runs");

    public static Counter<long> GcBlobsDeleted { get; } = Meter.CreateCounter<long>("berth.gc.blobs.deleted", "{blob}", "Blobs deleted by garbage collection");

    public static Counter<long> GcFreed { get; } = Meter.CreateCounter<long>("berth.gc.freed", "By", "Bytes freed by garbage collection");

    public static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);
}
