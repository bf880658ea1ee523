using System.Net;
using Berth.Data.Postgres;

namespace Berth.Configuration;

/// <summary>Checks values the binder cannot: formats and ranges. Each message names its key.</summary>
internal static class SettingsValidator
{
    public static void Validate(BerthSettings settings)
    {
        var listen = ListenEndpoint.Parse(settings.Server.Listen);
        if (settings.Server.PublicUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new ConfigurationException($"server.publicUrl '{url}' is not an absolute URL such as https://registry.example.com");
        }

        // Without it the token realm comes from the request's Host and scheme: behind a TLS proxy that is an
        // http:// realm, and clients would send their credentials in clear. Loopback is a laptop: no proxy.
        if (string.IsNullOrWhiteSpace(settings.Server.PublicUrl) && !IPAddress.IsLoopback(listen.Address))
        {
            throw new ConfigurationException(
                $"server.publicUrl is required when server.listen ({settings.Server.Listen}) is not a loopback address: set it to the address clients use, " +
                "e.g. https://registry.example.com (BERTH_SERVER__PUBLICURL), so the token realm is not taken from the request");
        }

        ValidateTls(settings.Server);
        TrustedProxies.Parse(settings.Server.TrustedProxies);

        ValidateTelemetry(settings);
        if (settings.Server.LogFormat is not ("text" or "json"))
        {
            throw new ConfigurationException($"server.logFormat '{settings.Server.LogFormat}' must be 'text' or 'json'");
        }

        if (string.IsNullOrWhiteSpace(settings.Storage.DataDir))
        {
            throw new ConfigurationException("storage.dataDir must name a folder");
        }

        ValidateMetadata(settings.Storage);
        S3SettingsValidator.Validate(settings.Storage);

        if (settings.Registry.MaxManifestBytes < 4 * 1024 * 1024)
        {
            throw new ConfigurationException("registry.maxManifestBytes must be at least 4194304 (the OCI spec's 4 MB)");
        }

        if (settings.Server.FederationReloadInterval < TimeSpan.FromSeconds(1))
        {
            throw new ConfigurationException("server.federationReloadInterval must be at least 00:00:01");
        }

        if (settings.Server.AdminLoginLifetime < TimeSpan.FromMinutes(1))
        {
            throw new ConfigurationException("server.adminLoginLifetime must be at least 00:01:00, e.g. 12:00:00 (the lifetime of a berth login)");
        }

        if (settings.Registry.UploadExpiry <= TimeSpan.Zero || settings.Registry.UploadSweepInterval <= TimeSpan.Zero)
        {
            throw new ConfigurationException("registry.uploadExpiry and registry.uploadSweepInterval must be positive durations such as 01:00:00");
        }

        // Renewed every quarter of it; an upload idle for its expiry is removed, so a claim must time out first.
        if (settings.Registry.UploadClaimTimeout < TimeSpan.FromSeconds(1) || settings.Registry.UploadClaimTimeout >= settings.Registry.UploadExpiry)
        {
            throw new ConfigurationException("registry.uploadClaimTimeout must be at least 00:00:01 and shorter than registry.uploadExpiry, e.g. 00:00:30");
        }

        if (settings.Registry.GcInterval < TimeSpan.Zero)
        {
            throw new ConfigurationException("registry.gcInterval must be a duration such as 24:00:00, or 00:00:00 to turn background garbage collection off");
        }

        // A grace period shorter than a push takes would collect the blobs of that push before its manifest arrives.
        if (settings.Registry.GcGracePeriod < TimeSpan.FromMinutes(1))
        {
            throw new ConfigurationException("registry.gcGracePeriod must be at least 00:01:00 (pushes upload blobs first and the manifest last)");
        }

        if (settings.Audit.Retention < TimeSpan.Zero || (settings.Audit.Retention > TimeSpan.Zero && settings.Audit.Retention < TimeSpan.FromDays(1)))
        {
            throw new ConfigurationException("audit.retention must be at least 1.00:00:00 (one day), e.g. 90.00:00:00, or 00:00:00 to keep audit entries forever");
        }

        if (settings.Audit.PurgeInterval < TimeSpan.FromMinutes(1))
        {
            throw new ConfigurationException("audit.purgeInterval must be at least 00:01:00, e.g. 01:00:00");
        }

        if (settings.Registry.GcMaxDeletions < 1)
        {
            throw new ConfigurationException("registry.gcMaxDeletions must be at least 1");
        }
    }

    /// <summary>The files themselves are read when the server is built (<see cref="Hosting.ServerCertificate"/>), so <c>--check-config</c> reads them too.</summary>
    private static void ValidateTls(ServerSettings server)
    {
        var tls = server.Tls;
        if (!tls.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(tls.CertificateFile) || string.IsNullOrWhiteSpace(tls.KeyFile))
        {
            throw new ConfigurationException("server.tls needs both certificateFile (the PEM certificate chain) and keyFile (its PEM private key)");
        }

        // Clients take the token realm and the registry tokens' issuer from publicUrl: an http one would send
        // the workload token in clear to wherever it points, past the TLS Berth serves.
        if (server.PublicUrl is { } url && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException($"server.publicUrl '{url}' must be an https:// URL when server.tls is set, e.g. https://registry.example.com");
        }
    }

    /// <summary>The connection string holds a password: messages name the key and the problem, never the value.</summary>
    private static void ValidateMetadata(StorageSettings storage)
    {
        if (storage.Metadata is not (StorageSettings.SqliteMetadata or StorageSettings.PostgresMetadata))
        {
            throw new ConfigurationException($"storage.metadata '{storage.Metadata}' must be 'sqlite' or 'postgres'");
        }

        var connectionString = storage.Postgres.ConnectionString;
        if (!storage.UsesPostgres)
        {
            // A replica that quietly fell back to its own SQLite file would split the registry in two.
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                throw new ConfigurationException(
                    "storage.postgres.connectionString is set but storage.metadata is 'sqlite'; set storage.metadata: postgres " +
                    "(BERTH_STORAGE__METADATA=postgres) to use PostgreSQL, or remove the connection string");
            }

            return;
        }

        if (PostgresConnectionString.Problem(connectionString) is { } problem)
        {
            throw new ConfigurationException(
                $"storage.postgres.connectionString {problem} (set it in the file or as BERTH_STORAGE__POSTGRES__CONNECTIONSTRING)");
        }
    }

    private static void ValidateTelemetry(BerthSettings settings)
    {
        if (settings.Server.MetricsListen is { } metrics)
        {
            var endpoint = ListenEndpoint.Parse(metrics, "server.metricsListen");
            if (endpoint.Port == 0 || endpoint.Port == ListenEndpoint.Parse(settings.Server.Listen).Port)
            {
                throw new ConfigurationException($"server.metricsListen '{metrics}' needs a port of its own, not 0 and not server.listen's");
            }
        }

        if (settings.Telemetry.OtlpEndpoint is { } otlp
            && (!Uri.TryCreate(otlp, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ConfigurationException($"telemetry.otlpEndpoint '{otlp}' is not an http(s) URL such as http://otel-collector:4318");
        }

        if (string.IsNullOrWhiteSpace(settings.Telemetry.ServiceName))
        {
            throw new ConfigurationException("telemetry.serviceName must not be empty");
        }
    }
}
