using System.Net;
using Berth.Auth.Admin;
using Berth.Configuration;
using Berth.Http;
using Berth.Http.Admin;

namespace Berth.Hosting;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format. With <c>server.metricsListen</c> it is served there without
/// credentials, and that listener serves nothing else; the main listener then answers 404 for it. Without,
/// the main listener serves it to administrators only: metric names and identity providers' names are no
/// secret, but request rates and refusal reasons are not for anonymous callers either.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Scrapes and health probes make no traces: they would drown the requests that matter.</summary>
    public static bool IsQuiet(PathString path) => path.StartsWithSegments(Path) || path.StartsWithSegments("/healthz");

    public static WebApplication MapMetrics(this WebApplication app, ServerSettings server)
    {
        var port = server.MetricsListen is { } listen ? ListenEndpoint.Parse(listen, "server.metricsListen").Port : (int?)null;
        if (port is { } metricsPort)
        {
            // Kestrel serves every endpoint on every listener: keep the registry off the unauthenticated one.
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == metricsPort && !context.Request.Path.StartsWithSegments(Path))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (port is { } metricsOnly)
            {
                if (context.Connection.LocalPort == metricsOnly)
                {
                    await next(context);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }

                return;
            }

            var authenticator = context.RequestServices.GetRequiredService<AdminAuthenticator>();
            var (admin, failure) = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization, context.RequestAborted);
            if (admin is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"berth-admin\"";
                await TypedResults.Json(new AdminErrors([failure!]), JsonDefaults.Options, statusCode: (int)HttpStatusCode.Unauthorized).ExecuteAsync(context);
                return;
            }

            await next(context);
        }), optionsName: null);
        return app;
    }
}
