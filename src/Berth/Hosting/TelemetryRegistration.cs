using Berth.Access.Audit;
using Berth.Configuration;
using Berth.Data;
using Berth.Federation;
using Berth.Registry;
using Berth.Telemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Berth.Hosting;

/// <summary>
/// OpenTelemetry for the host: every Berth meter plus ASP.NET Core's request metrics and the runtime's,
/// exported for Prometheus at <c>/metrics</c> (<see cref="MetricsEndpoint"/>); request traces to an OTLP
/// collector when <c>telemetry.otlpEndpoint</c> is set. The only place that references OpenTelemetry:
/// the libraries publish through System.Diagnostics.Metrics.
/// </summary>
internal static class TelemetryRegistration
{
    public static IServiceCollection AddBerthTelemetry(this IServiceCollection services, BerthSettings settings)
    {
        services.AddSingleton<ServerMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.Telemetry.ServiceName))
            .WithMetrics(metrics => metrics
                // http.server.request.duration: route template, method and status of every request.
                .AddMeter("Microsoft.AspNetCore.Hosting")
                .AddMeter(RegistryMetrics.MeterName, FederationMetrics.MeterName, AuditMetrics.MeterName, MetadataMetrics.MeterName, ServerMetrics.MeterName)
                .AddRuntimeInstrumentation()
                // No cached scrape: two scrapers (or a scraper and an operator) must each see the current values.
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));

        if (settings.Telemetry.OtlpEndpoint is { } endpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !MetricsEndpoint.IsQuiet(context.Request.Path))
                .AddOtlpExporter(options =>
                {
                    // With an explicit endpoint the HTTP exporter posts to it as given: the signal's path is ours to add.
                    options.Protocol = OtlpExportProtocol.HttpProtobuf;
                    options.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/traces");
                }));
        }

        return services;
    }
}
