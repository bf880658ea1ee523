namespace Berth.Configuration;

/// <summary>Traces (metrics are always on: <c>/metrics</c>, see <see cref="ServerSettings.MetricsListen"/>).</summary>
public sealed record TelemetrySettings
{
    /// <summary>
    /// An OTLP/HTTP collector's base URL (e.g. <c>http://otel-collector:4318</c>); when set, every request's
    /// trace is exported to its <c>/v1/traces</c>. Unset: no trace leaves the process.
    /// </summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>The <c>service.name</c> resource attribute of exported traces and metrics.</summary>
    public string ServiceName { get; init; } = "berth";
}
