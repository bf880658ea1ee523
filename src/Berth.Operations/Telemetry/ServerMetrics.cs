using System.Diagnostics.Metrics;
using Berth.Audit;
using Berth.Auth;

namespace Berth.Telemetry;

/// <summary>
/// Gauges that read the host's own state at scrape time (meter <c>Berth.Server</c>): the audit queue's depth
/// and the age of each identity provider's keys in use. Made from the container's meter factory, so each
/// host's gauges die with it.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "Berth.Server";

    public ServerMetrics(IMeterFactory meters, AuditTrail audit, FederationState federation, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "berth.audit.queue.depth",
            () => (long)audit.Reader.Count,
            "{entry}",
            "Audit entries waiting to be written to the metadata store");
        meter.CreateObservableGauge(
            "berth.idp.key.age",
            () => KeyAges(federation, time),
            "s",
            "Seconds since the signing keys in use were fetched, per identity provider (absent until the first fetch succeeds)");
    }

    private static IEnumerable<Measurement<double>> KeyAges(FederationState federation, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var health in federation.Current.Validator.KeyHealth())
        {
            if (health.LastSuccessfulFetch is { } fetched)
            {
                yield return new Measurement<double>((now - fetched).TotalSeconds, new KeyValuePair<string, object?>("identity_provider", health.IdentityProvider));
            }
        }
    }
}
