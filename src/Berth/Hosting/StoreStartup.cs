using System.Data.Common;
using Berth.Auth;
using Berth.Auth.Admin;
using Berth.Configuration;
using Berth.Http;
using Berth.Data;
using Berth.Registry.Metadata;

namespace Berth.Hosting;

/// <summary>
/// Migrates the metadata store, loads the signing key and the objects made through the admin API, refuses
/// open mode where it is not allowed and logs the configuration file's robots' lint warnings, before the
/// server takes requests (hosted services start before Kestrel).
/// </summary>
internal sealed class StoreStartup(
    IMetadataStoreLifecycle metadata,
    IUploadSessionStore uploads,
    RegistryTokens tokens,
    BerthSettings settings,
    FederationState federation,
    AdminBootstrap admin,
    Readiness readiness,
    ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await ReleaseUploadClaimsAsync(cancellationToken);
        await tokens.LoadAsync(cancellationToken);
        await federation.LoadAsync(cancellationToken);
        OpenModeGuard.Check(settings, federation.Current.Model);
        LogConfigRobotWarnings(federation.Current);
        await admin.EnsureAsync(cancellationToken);
        if (federation.Current.IsOpen)
        {
            logger.LogWarning("open mode: no identity provider and no robot exist yet, so anyone who reaches the registry may push, pull and delete; create one with the admin API or `berth idp add`");
        }

        readiness.MarkReady();
        logger.LogInformation("metadata store ready: {Store}", MetadataStoreRegistration.Describe(settings.Storage));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// An unreachable or refusing database ends start-up with one line naming the store (never its
    /// password) instead of a stack trace; the supervisor restarts Berth until the database answers.
    /// </summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await metadata.MigrateAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw new ConfigurationException($"cannot open the metadata store {MetadataStoreRegistration.Describe(settings.Storage)}: {e.Message}");
        }
        catch (SchemaTooNewException e)
        {
            // A downgrade: the older binary stops before it reads or writes a schema it does not know.
            throw new ConfigurationException(e.Message);
        }
    }

    /// <summary>
    /// SQLite belongs to this one process, so a chunk's claim on an upload found now was left by a process
    /// that died mid-chunk: released at once, the upload resumes at its acknowledged offset instead of
    /// after the claim timeout. With PostgreSQL other replicas may be writing, and their claims stand.
    /// </summary>
    private async Task ReleaseUploadClaimsAsync(CancellationToken cancellationToken)
    {
        if (settings.Storage.UsesPostgres)
        {
            return;
        }

        var released = await uploads.ReleaseUploadClaimsAsync(cancellationToken);
        if (released > 0)
        {
            logger.LogInformation("released {Count} upload chunks left unfinished by the previous run; those uploads resume at their last acknowledged byte", released);
        }
    }

    /// <summary>
    /// The file's robots are linted once per start (API-managed ones show their warnings in the API
    /// response that made them). Warnings hold robot names and rule values, never a token.
    /// </summary>
    private void LogConfigRobotWarnings(FederationSnapshot snapshot)
    {
        foreach (var warning in snapshot.Warnings.Where(w => snapshot.Config.Robots.Contains(w.Robot)))
        {
            logger.LogWarning("lint: robot {Robot}: {Code}: {Message}", warning.Robot, warning.Code, warning.Message);
        }
    }
}
