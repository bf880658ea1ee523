using Berth.Configuration;
using Berth.Data.Sqlite;
using Berth.Http.Registry;
using Berth.Registry;
using Berth.Registry.Blobs;
using Berth.Registry.Manifests;
using Berth.Registry.Metadata;
using Berth.Registry.Uploads;

namespace Berth.Hosting;

/// <summary>Wires stores, core services and HTTP handlers. Dependencies point inward: host → services → store seams.</summary>
internal static class ServiceRegistration
{
    public static IServiceCollection AddBerthServices(this IServiceCollection services, BerthSettings settings)
    {
        var dataDir = Path.GetFullPath(settings.Storage.DataDir);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new RegistryOptions
        {
            MaxManifestBytes = settings.Registry.MaxManifestBytes,
            UploadExpiry = settings.Registry.UploadExpiry,
        });

        services.AddSingleton(provider => new SqliteMetadataStore(Path.Combine(dataDir, "metadata.db"), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRepositoryStore>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<IBlobLinkStore>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<IManifestStore>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<IUploadSessionStore>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<IMetadataStoreLifecycle>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<Berth.Access.Audit.IAuditLog>(provider => provider.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<Berth.Access.Refresh.IRefreshTokenStore>(provider => provider.GetRequiredService<SqliteMetadataStore>());

        services.AddSingleton(new FileSystemBlobStore(dataDir));
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<IUploadStaging>(provider => provider.GetRequiredService<FileSystemBlobStore>());

        services.AddSingleton<BlobUploadService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<IRegistryAccessCheck, OpenAccessCheck>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<ListingHandlers>();

        services.AddSingleton<Readiness>();
        services.AddHostedService<StoreStartup>();
        services.AddHostedService<UploadExpiryWorker>();
        return services;
    }
}
