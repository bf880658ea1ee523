using System.Text.Json;
using Berth.Access.Admin;
using Berth.Access.Refresh;
using Berth.Auth.Documents;
using Berth.Configuration;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Auth;

/// <summary>
/// The federation Berth runs with right now: an immutable <see cref="FederationSnapshot"/> swapped
/// atomically. Objects from the configuration file (<c>managedBy: config</c>) are merged with those
/// created through the admin API (documents in the metadata store, under one revision).
/// </summary>
/// <remarks>
/// Every change is decided against the store as it is at that moment, not against this replica's view
/// (which another replica may have overtaken), validated as a whole by <see cref="FederationSetup"/>,
/// and written only if the store's revision did not move meanwhile; otherwise it is decided again. So
/// two replicas can never each apply a change that only fits without the other's (say, deleting the
/// last robot here while the last identity provider goes there). The workload token validator is
/// rebuilt only when identity providers change, and then keeps the unchanged providers' key caches.
/// </remarks>
internal sealed partial class FederationState
{
    private const int WriteAttempts = 3;

    private readonly BerthSettings config;
    private readonly ConfigNames configNames;
    private readonly IDocumentStore documents;
    private readonly IRefreshTokenStore refreshTokens;
    private readonly Func<FederationModel, WorkloadTokenValidator> createValidator;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly bool openModeAllowed;
    private readonly SemaphoreSlim writer = new(1, 1);
    private volatile FederationSnapshot current;
    private long storedRevision = -1;

    /// <param name="configModel">The configuration file's model, already validated at start-up.</param>
    public FederationState(
        BerthSettings config,
        FederationModel configModel,
        IDocumentStore documents,
        IRefreshTokenStore refreshTokens,
        Func<FederationModel, WorkloadTokenValidator> createValidator,
        TimeProvider time,
        ILogger<FederationState> logger)
    {
        this.config = config;
        this.documents = documents;
        this.refreshTokens = refreshTokens;
        this.createValidator = createValidator;
        this.time = time;
        this.logger = logger;
        openModeAllowed = OpenModeGuard.IsAllowed(config);
        configNames = ConfigNames.From(config);
        current = Snapshot(configModel, ManagedObjects.Empty, previous: null);
    }

    public FederationSnapshot Current => current;

    /// <summary>Reads the API-managed objects from the store (at start-up, before requests are served).</summary>
    /// <exception cref="ConfigurationException">The stored objects no longer fit the configuration file, e.g. a name now declared twice.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            var stored = await documents.ReadDocumentsAsync(cancellationToken);
            var managed = Read(stored.Documents);
            current = Snapshot(FederationSetup.Build(managed.MergeInto(config), managed), managed, current);
            storedRevision = stored.Revision;
            LogSyncedKeys(managed);
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>
    /// Applies what other replicas changed in the shared store since the last read; a no-op (one small
    /// query) when nothing did. Stored objects that do not fit this replica's configuration file, or that
    /// would leave it in open mode where that is not allowed, are logged and skipped: this replica keeps
    /// the federation it runs with.
    /// </summary>
    /// <returns>True when the federation changed.</returns>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            if (await documents.GetDocumentsRevisionAsync(cancellationToken) == storedRevision)
            {
                return false;
            }

            var stored = await documents.ReadDocumentsAsync(cancellationToken);
            var managed = Read(stored.Documents);
            FederationModel model;
            try
            {
                model = FederationSetup.Build(managed.MergeInto(config), managed);
            }
            catch (ConfigurationException e)
            {
                storedRevision = stored.Revision;
                logger.LogWarning("objects changed through another replica do not fit this replica's configuration file; keeping the previous federation: {Problem}", e.Message);
                return false;
            }

            storedRevision = stored.Revision;
            if (model.IsOpen && !openModeAllowed)
            {
                logger.LogError("objects changed through another replica would leave no identity provider and no robot, so {Listen} would serve in open mode; keeping the previous federation", config.Server.Listen);
                return false;
            }

            current = Snapshot(model, managed, current);
            LogSyncedKeys(managed);
            return true;
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Creates (<paramref name="create"/>) or replaces an API-managed object.</summary>
    public Task<FederationChange> PutAsync(string kind, string name, object settings, bool create, CancellationToken cancellationToken) =>
        CommitAsync(fresh => ChangeObject(fresh, kind, name, create ? ChangeMode.Create : ChangeMode.Replace, _ => settings), cancellationToken);

    /// <summary>Replaces an API-managed robot with an edit of its stored settings, atomically with other changes.</summary>
    public Task<FederationChange> EditRobotAsync(string name, Func<RobotSettings, RobotSettings> edit, CancellationToken cancellationToken) =>
        CommitAsync(fresh => ChangeObject(fresh, ObjectKinds.Robot, name, ChangeMode.Replace, managed => edit(managed.Robots[name])), cancellationToken);

    public Task<FederationChange> DeleteAsync(string kind, string name, CancellationToken cancellationToken) =>
        CommitAsync(fresh => ChangeObject(fresh, kind, name, ChangeMode.Delete, _ => null), cancellationToken);

    /// <summary>
    /// Replaces the static keys of identity provider <paramref name="name"/> with <paramref name="synced"/>
    /// (key sync), if <paramref name="sender"/> still matches a robot holding <c>jwks-sync</c> and the
    /// provider still takes its keys from a static JWKS, both as the store says at the moment of writing.
    /// </summary>
    public Task<FederationChange> SyncKeysAsync(string name, SyncedJwks synced, ValidatedWorkloadToken sender, CancellationToken cancellationToken) =>
        CommitAsync(fresh => ChangeKeys(fresh, name, synced, sender), cancellationToken);

    /// <summary>Drops synced keys, so the provider's configured static JWKS applies again.</summary>
    public Task<FederationChange> RemoveSyncedKeysAsync(string name, CancellationToken cancellationToken) =>
        CommitAsync(fresh => ChangeKeys(fresh, name, null, null), cancellationToken);

    /// <summary>Null when key sync may replace this provider's keys; else why not (it fetches its own).</summary>
    public static string? KeySyncRefusal(IdentityProviderOptions provider) =>
        provider.Jwks is null && provider.JwksFile is null
            ? $"identity provider '{provider.Name}' fetches its keys from {provider.EffectiveDiscoveryUrl ?? provider.JwksUrl}; key sync is for providers with a static JWKS (jwks or jwksFile)"
            : null;

    /// <summary>Decides a change against <paramref name="fresh"/> (the store now), validates it, and writes it unless another writer got there first.</summary>
    private async Task<FederationChange> CommitAsync(Func<FederationSnapshot, Decision> decide, CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < WriteAttempts; attempt++)
            {
                var stored = await documents.ReadDocumentsAsync(cancellationToken);
                FederationSnapshot fresh;
                try
                {
                    fresh = stored.Revision == storedRevision ? current : Fresh(stored);
                }
                catch (ConfigurationException e)
                {
                    return FederationChange.Conflict($"the stored objects no longer fit this replica's configuration file; fix that first: {e.Message}");
                }

                var decision = decide(fresh);
                if (decision.Refusal is { } refusal)
                {
                    return refusal;
                }

                var proposal = decision.Proposal!;
                FederationModel model;
                try
                {
                    model = FederationSetup.Build(proposal.Managed.MergeInto(config), proposal.Managed);
                }
                catch (ConfigurationException e)
                {
                    return proposal.Refuse(e.Message.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Where(line => line != "configuration error:")
                        .ToList());
                }

                if (model.IsOpen && !openModeAllowed)
                {
                    return FederationChange.Conflict($"{proposal.What} is the last identity provider or robot: without it Berth would serve {config.Server.Listen} in open mode, where anyone may push and delete. Create another first, or restart with --insecure-open if you really mean it");
                }

                if (!await documents.WriteDocumentsAsync(stored.Revision, proposal.Puts, proposal.Deletes, cancellationToken))
                {
                    continue; // another replica wrote in between: decide again on what it wrote
                }

                current = Snapshot(model, proposal.Managed, fresh);
                storedRevision = stored.Revision + 1;
                if (proposal.RevokeRobot is { } robot)
                {
                    // A changed, disabled or deleted robot's refresh tokens die with the grant they carried.
                    await refreshTokens.DeleteRefreshTokensForRobotAsync(robot, cancellationToken);
                }

                if (proposal.RevokeIssuer is { } issuer)
                {
                    var revoked = await refreshTokens.RevokeRefreshTokensAsync(RefreshTokenSelector.Issuer(issuer), cancellationToken);
                    logger.LogInformation("{What}: keys reset or replaced; revoked {Count} refresh tokens of issuer {Issuer}", proposal.What, revoked, issuer);
                }

                return FederationChange.Applied;
            }

            return FederationChange.Conflict("identity providers, projects or robots kept changing through other replicas while this change was made; try again");
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>A snapshot of what another replica wrote, so a change is decided on the store as it is.</summary>
    private FederationSnapshot Fresh(DocumentSet stored)
    {
        var managed = Read(stored.Documents);
        var snapshot = Snapshot(FederationSetup.Build(managed.MergeInto(config), managed), managed, current);
        current = snapshot;
        storedRevision = stored.Revision;
        return snapshot;
    }

    /// <summary>Says which providers run on keys sent by key sync, and which synced keys no longer apply.</summary>
    private void LogSyncedKeys(ManagedObjects managed)
    {
        foreach (var (name, synced) in managed.SyncedKeys)
        {
            if (managed.SyncedKeysApplyTo(name, config))
            {
                logger.LogInformation("identity provider {IdentityProvider} uses keys {Kids} sent by key sync at {SyncedAt} instead of its configured static keys", name, string.Join(",", synced.Kids), synced.SyncedAt);
            }
            else
            {
                logger.LogWarning("keys sent by key sync for identity provider {IdentityProvider} are ignored: it no longer exists with issuer {Issuer} and a static key source", name, synced.Issuer);
            }
        }
    }

    /// <remarks>
    /// A replaced validator is not disposed: requests that took the previous snapshot may still use it, and
    /// its accepted-token cache runs no timer, so it goes with the last of them.
    /// </remarks>
    private FederationSnapshot Snapshot(FederationModel model, ManagedObjects managed, FederationSnapshot? previous)
    {
        var validator = previous is null ? createValidator(model) : previous.Validator.WithIdentityProviders(model.IdentityProviders);
        return new FederationSnapshot(model, new RobotMatcher(model.Robots, model.IdentityProviders), validator, managed, configNames);
    }

    /// <summary>The stored form of an object: its document type (Documents/), never the settings record itself.</summary>
    private StoredDocument Document(string kind, string name, object value)
    {
        object document = value switch
        {
            IdentityProviderSettings provider => IdentityProviderDocument.Of(provider),
            ProjectSettings project => ProjectDocument.Of(project),
            RobotSettings robot => RobotDocument.Of(robot),
            _ => value,
        };
        return new(kind, name, JsonSerializer.Serialize(document, document.GetType(), StoredJson.Options), time.GetUtcNow());
    }

    private static ManagedObjects Read(IReadOnlyList<StoredDocument> stored)
    {
        var managed = ManagedObjects.Empty;
        foreach (var document in stored)
        {
            managed = document.Kind switch
            {
                ObjectKinds.IdentityProvider => managed with { IdentityProviders = managed.IdentityProviders.SetItem(document.Name, Read<IdentityProviderDocument>(document).ToSettings()) },
                ObjectKinds.Project => managed with { Projects = managed.Projects.SetItem(document.Name, Read<ProjectDocument>(document).ToSettings()) },
                ObjectKinds.Robot => managed with { Robots = managed.Robots.SetItem(document.Name, Read<RobotDocument>(document).ToSettings()) },
                ObjectKinds.SyncedJwks => managed with { SyncedKeys = managed.SyncedKeys.SetItem(document.Name, Read<SyncedJwks>(document)) },
                _ => managed,
            };
        }

        return managed;
    }

    private static T Read<T>(StoredDocument document)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(document.Json, StoredJson.Options)
                ?? throw new ConfigurationException($"stored {document.Kind} '{document.Name}' is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"stored {document.Kind} '{document.Name}' is not readable: {e.Message}");
        }
    }
}
