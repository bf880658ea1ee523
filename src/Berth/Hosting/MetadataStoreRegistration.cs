using Berth.Configuration;
using Berth.Data;
using Berth.Data.Postgres;
using Berth.Data.Sqlite;

namespace Berth.Hosting;

/// <summary>Registers the configured metadata provider's store classes, one per seam.</summary>
internal static class MetadataStoreRegistration
{
    /// <summary>The SQLite metadata store's file in the data folder.</summary>
    public const string MetadataFileName = "metadata.db";

    public static IServiceCollection AddMetadataStore(this IServiceCollection services, StorageSettings storage)
    {
        if (storage.UsesPostgres)
        {
            // Validated at start-up; one data source (connection pool) per process, disposed with the container.
            var connectionString = storage.Postgres.ConnectionString!;
            return services.AddMetadataStores(provider => NpgsqlMetadata.Create(connectionString, provider.GetRequiredService<TimeProvider>()));
        }

        var databasePath = Path.Combine(Path.GetFullPath(storage.DataDir), MetadataFileName);
        return services.AddMetadataStores(provider => SqliteMetadata.Open(databasePath, provider.GetRequiredService<TimeProvider>()));
    }

    /// <summary>What the log may say about the metadata store: its kind and, for PostgreSQL, where it is (never the password).</summary>
    public static string Describe(StorageSettings storage) =>
        storage.UsesPostgres
            ? "postgres " + PostgresConnectionString.Describe(storage.Postgres.ConnectionString!)
            : "sqlite " + Path.Combine(Path.GetFullPath(storage.DataDir), MetadataFileName);

    /// <summary>Each seam under its interface: one class per seam, all over the provider's one connection pool, disposed with the container.</summary>
    private static IServiceCollection AddMetadataStores(this IServiceCollection services, Func<IServiceProvider, MetadataStores> open)
    {
        services.AddSingleton(open);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Lifecycle);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Repositories);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Blobs);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Manifests);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().ManifestListing);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Uploads);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().RefreshTokens);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Audit);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().Documents);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().AdminCredentials);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().GcCandidates);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().GcCoordination);
        services.AddSingleton(provider => provider.GetRequiredService<MetadataStores>().ClaimProbe);
        return services;
    }
}
