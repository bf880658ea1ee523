using System.Net;
using Berth.Data.Postgres;

namespace Berth.Configuration;

/// <summary>Checks values the binder cannot: formats and ranges. Each message names its key.</summary>
internal static class SettingsValidator
{
    public static void Validate(BerthSettings settings)
    {
        ListenEndpoint.Parse(settings.Server.Listen);
        if (settings.Server.PublicUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new ConfigurationException($"server.publicUrl '{url}' is not an absolute URL such as https://registry.example.com");
        }

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

        if (settings.Registry.GcInterval < TimeSpan.Zero)
        {
            throw new ConfigurationException("registry.gcInterval must be a duration such as 24:00:00, or 00:00:00 to turn background garbage collection off");
        }

        // A grace period shorter than a push takes would collect the blobs of that push before its manifest arrives.
        if (settings.Registry.GcGracePeriod < TimeSpan.FromMinutes(1))
        {
            throw new ConfigurationException("registry.gcGracePeriod must be at least 00:01:00 (pushes upload blobs first and the manifest last)");
        }

        if (settings.Registry.GcMaxDeletions < 1)
        {
            throw new ConfigurationException("registry.gcMaxDeletions must be at least 1");
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
