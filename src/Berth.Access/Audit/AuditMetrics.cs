using System.Diagnostics.Metrics;

namespace Berth.Access.Audit;

/// <summary>The audit trail's instruments (meter <c>Berth.Audit</c>); the queue's depth is observed by the host that owns the queue.</summary>
public static class AuditMetrics
{
    public const string MeterName = "Berth.Audit";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Entries that could not be written (the metadata store refused a batch): anything above 0 needs an operator.</summary>
    public static Counter<long> Dropped { get; } = Meter.CreateCounter<long>("berth.audit.dropped", "{entry}", "Audit entries lost because the metadata store refused them");
}
