using Berth.Audit;
using Berth.Auth;
using Berth.Configuration;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;
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
    public static IServiceCollection AddBerthServices(this IServiceCollection services, BerthSettings settings, FederationModel federation)
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
        services.AddSingleton(federation);
        services.AddSingleton<RegistryTokens>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<AuditWriter>();
        if (federation.IsOpen)
        {
            services.AddSingleton<IRegistryAccessCheck, OpenAccessCheck>();
        }
        else
        {
            services.AddFederation(federation);
        }

        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<ListingHandlers>();

        services.AddSingleton<Readiness>();
        services.AddHostedService<StoreStartup>();
        services.AddHostedService<UploadExpiryWorker>();
        return services;
    }

    private static void AddFederation(this IServiceCollection services, FederationModel federation)
    {
        // Keys are fetched from identity providers only; bounded per fetch by the IdP's FetchTimeout.
        services.AddSingleton(provider => new WorkloadTokenValidator(
            federation.IdentityProviders,
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<WorkloadTokenValidator>()));
        services.AddSingleton(new RobotMatcher(federation.Robots, federation.IdentityProviders));
        services.AddSingleton<Authenticator>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<IRegistryAccessCheck, TokenAccessCheck>();
    }
}
