using Berth.Auth;
using Berth.Configuration;
using Berth.Http.Token;
using Berth.Http.Admin;
using Berth.Http.Console;
using Berth.Http;
using Berth.Http.Registry;
using Berth.Telemetry;
using Berth.Tls;

namespace Berth.Hosting;

/// <summary>Builds the web application from validated settings: the composition root of <c>berth serve</c>.</summary>
internal static class BerthApp
{
    /// <exception cref="ConfigurationException">The identity providers, projects or robots are not usable.</exception>
    public static WebApplication Build(BerthSettings settings, Action<IServiceCollection>? overrideServices = null)
    {
        // The open-mode guard runs in StoreStartup: robots made through the admin API count too.
        var federation = FederationSetup.Build(settings);
        // The host still reads an appsettings.json in the working folder, but Berth's settings come from berth.yaml and
        // BERTH_ variables, read once: no file watcher (System.IO.FileSystem.Watcher, an inotify thread, ~2 MiB
        // resident, bench/RESULTS.md) waits for that file to change.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        ConfigureLogging(builder.Logging, settings.Server);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.Server.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(ListenEndpoint.Parse(settings.Server.Listen), listen => TlsListener.Configure(listen, settings.Server.Tls, kestrel.ApplicationServices));
            if (settings.Server.MetricsListen is { } metrics)
            {
                kestrel.Listen(ListenEndpoint.Parse(metrics, "server.metricsListen"));
            }

            kestrel.AddServerHeader = false;
            // Every body is small unless its endpoint says otherwise: Kestrel refuses a larger one (413)
            // before it is read, so nothing is buffered or bound for an anonymous caller. Blob uploads
            // lift the limit and stream; manifests (4 MiB) and token forms (64 KiB) set their own.
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.DefaultBytes;
        });

        if (settings.Server.Tls.Enabled)
        {
            // Read once here so a bad pair stops `berth serve` (and `--check-config`) before it listens.
            ServerCertificate.Read(settings.Server.Tls);
            builder.Services.AddSingleton<ServerCertificate>();
        }

        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.Services.AddBerthServices(settings, federation);
        builder.Services.AddBerthTelemetry(settings);
        builder.Services.AddStartupCompaction();
        overrideServices?.Invoke(builder.Services);

        var app = builder.Build();

        // First: every later step (request log, rate limits, audit, the token realm) sees the client, not the proxy.
        app.UseTrustedProxies(settings.Server);
        app.UseMiddleware<RequestLog>();
        // Inside the request log, so it records the 503/507 this answers instead of a 500.
        app.UseMiddleware<StoreFaultAnswers>();

        // After routing (added first by WebApplication), before any endpoint binds a body.
        app.UseMiddleware<AdminAuthFilter>();

        // The gauges observe from the first scrape on, so they exist before any request asks for them.
        app.Services.GetRequiredService<ServerMetrics>();
        app.MapMetrics(settings.Server);
        app.MapHealthEndpoints();
        app.MapRegistryApi();
        app.MapTokenApi();
        app.MapAdminApi();
        app.MapConsole();

        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerSettings server)
    {
        logging.ClearProviders();
        if (server.LogFormat == "json")
        {
            logging.AddJsonConsole(options => options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.UseUtcTimestamp = true;
            });
        }

        // Request-level framework chatter would drown the registry's own events.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // The host logs a failed start with its stack trace before `berth serve` prints the one line that
        // says what to do. A background service that crashes the host still shows: that is Critical.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
