using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Berth.Data;

/// <summary>
/// The metadata store's latency (meter <c>Berth.Data</c>): how long each store operation holds its pooled
/// connection, from open to close. Every store call is one such lease, so this is the time a request spends
/// in the database, queueing for SQLite's writer or PostgreSQL's locks included.
/// </summary>
public static class MetadataMetrics
{
    public const string MeterName = "Berth.Data";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "berth.metadata.operation.duration",
        "s",
        "Time a metadata store operation held its database connection",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Times <paramref name="connection"/> (just opened) until it closes, labelled with the provider.</summary>
    internal static void TrackLease(DbConnection connection, string provider)
    {
        if (!OperationDuration.Enabled)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        StateChangeEventHandler? handler = null;
        handler = (_, change) =>
        {
            if (change.CurrentState == ConnectionState.Closed)
            {
                connection.StateChange -= handler;
                OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("provider", provider));
            }
        };
        connection.StateChange += handler;
    }
}
