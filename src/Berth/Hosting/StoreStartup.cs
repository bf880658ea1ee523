using Berth.Auth;
using Berth.Auth.Admin;
using Berth.Configuration;
using Berth.Registry.Metadata;

namespace Berth.Hosting;

/// <summary>
/// Migrates the metadata store, loads the signing key and the objects made through the admin API, and refuses
/// open mode where it is not allowed, before the server takes requests (hosted services start before Kestrel).
/// </summary>
internal sealed class StoreStartup(
    IMetadataStoreLifecycle metadata,
    RegistryTokens tokens,
    BerthSettings settings,
    FederationState federation,
    AdminBootstrap admin,
    Readiness readiness,
    ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await metadata.MigrateAsync(cancellationToken);
        await tokens.LoadAsync(cancellationToken);
        await federation.LoadAsync(cancellationToken);
        OpenModeGuard.Check(settings, federation.Current.Model);
        await admin.EnsureAsync(cancellationToken);
        if (federation.Current.IsOpen)
        {
            logger.LogWarning("open mode: no identity provider and no robot exist yet, so anyone who reaches the registry may push, pull and delete; create one with the admin API or `berth idp add`");
        }

        readiness.MarkReady();
        logger.LogInformation("metadata store ready");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
