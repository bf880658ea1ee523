using Berth.Access.Admin;
using Berth.Access.Refresh;
using Berth.Audit;
using Berth.Auth;
using Berth.Auth.Admin;
using Berth.Configuration;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Tokens;
using Berth.Http;
using Berth.Http.Admin;
using Berth.Http.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Berth.Registry;
using Berth.Registry.Blobs;
using Berth.Registry.GarbageCollection;
using Berth.Registry.Manifests;
using Berth.Registry.Metadata;
using Berth.Registry.Uploads;

namespace Berth.Hosting;

/// <summary>Wires stores, core services and HTTP handlers. Dependencies point inward: host → services → store seams.</summary>
internal static class ServiceRegistration
{
    public static IServiceCollection AddBerthServices(this IServiceCollection services, BerthSettings settings, FederationModel federation)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new RegistryOptions
        {
            MaxManifestBytes = settings.Registry.MaxManifestBytes,
            UploadExpiry = settings.Registry.UploadExpiry,
            UploadClaimTimeout = settings.Registry.UploadClaimTimeout,
            AllowSparseIndexes = settings.Registry.AllowSparseIndexes,
        });

        services.AddMetadataStore(settings.Storage);

        services.AddBlobStore(settings.Storage, settings.Tokens);
        services.AddSingleton(new GarbageCollectionOptions
        {
            GracePeriod = settings.Registry.GcGracePeriod,
            MaxDeletionsPerRun = settings.Registry.GcMaxDeletions,
        });
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton<GarbageCollectionRuns>();

        services.AddSingleton<BlobUploadService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton(federation);
        services.AddSingleton<RegistryTokens>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<AuditWriter>();

        // Open mode lasts until the first identity provider or robot exists; the access check asks the snapshot per request.
        services.AddFederation(federation);
        services.AddAdministration();

        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<ListingHandlers>();

        services.AddSingleton<Readiness>();
        services.AddHostedService<StoreStartup>();
        services.AddHostedService<UploadExpiryWorker>();
        services.AddHostedService<AuditRetentionWorker>();
        services.AddHostedService<RefreshTokenSweepWorker>();
        services.AddHostedService<GarbageCollectionWorker>();
        services.AddHostedService<FederationReloadWorker>();
        return services;
    }

    private static void AddFederation(this IServiceCollection services, FederationModel federation)
    {
        // Keys are fetched from identity providers only; bounded per fetch by the IdP's FetchTimeout, and
        // never from a link-local or metadata address unless the provider allows it (checked on connect).
        var keyFetches = new HttpClient(KeyFetchAddresses.CreateHandler());
        services.AddSingleton(provider => new FederationState(
            provider.GetRequiredService<BerthSettings>(),
            federation,
            provider.GetRequiredService<IDocumentStore>(),
            provider.GetRequiredService<IRefreshTokenStore>(),
            model => new WorkloadTokenValidator(
                model.IdentityProviders,
                keyFetches,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<WorkloadTokenValidator>()),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<FederationState>>()));
        services.AddSingleton<Authenticator>();
        services.AddSingleton<TokenRateLimits>();
        services.AddSingleton<TokenService>();
        services.AddSingleton(provider => new TokenReplayCache(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KeySync>();
        services.AddSingleton<RegistryCallers>();
        services.AddSingleton<IRegistryAccessCheck, TokenAccessCheck>();
    }

    private static void AddAdministration(this IServiceCollection services)
    {
        services.TryAddSingleton(AdminBootstrapOptions.FromEnvironment());
        services.AddSingleton<AdminBootstrap>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<AdminAuthFilter>();
        services.AddSingleton<AdminLoginThrottle>();
        services.AddSingleton(new PasswordCheckGate());
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        services.AddOpenApi(options => options.ShouldInclude = description =>
            description.RelativePath?.StartsWith(AdminApi.Prefix.TrimStart('/'), StringComparison.Ordinal) == true);
    }
}
