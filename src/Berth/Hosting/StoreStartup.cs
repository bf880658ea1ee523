using Berth.Auth;
using Berth.Registry.Metadata;

namespace Berth.Hosting;

/// <summary>Migrates the metadata store and loads the signing key before the server takes requests (hosted services start before Kestrel).</summary>
internal sealed class StoreStartup(IMetadataStoreLifecycle metadata, RegistryTokens tokens, Readiness readiness, ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await metadata.MigrateAsync(cancellationToken);
        await tokens.LoadAsync(cancellationToken);
        readiness.MarkReady();
        logger.LogInformation("metadata store ready");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
