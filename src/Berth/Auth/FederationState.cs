using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Access.Admin;
using Berth.Access.Refresh;
using Berth.Configuration;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;
using Berth.Hosting;
using Berth.Http;

namespace Berth.Auth;

/// <summary>
/// The federation Berth runs with right now: an immutable <see cref="FederationSnapshot"/> swapped
/// atomically. Objects from the configuration file (<c>managedBy: config</c>) are merged with those
/// created through the admin API (persisted as documents in the metadata store). Every change is
/// validated as a whole by <see cref="FederationSetup"/> before it is stored; the workload token
/// validator is rebuilt only when identity providers change, and then keeps the key caches of the providers
/// that did not change.
/// </summary>
internal sealed class FederationState
{
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
    private string storedFingerprint = string.Empty;

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
            var stored = await documents.ListDocumentsAsync(cancellationToken);
            var managed = Read(stored);
            current = Snapshot(FederationSetup.Build(managed.MergeInto(config)), managed, current);
            storedFingerprint = Fingerprint(stored);
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>
    /// Applies what other replicas changed in the shared store since the last read; a no-op when nothing
    /// did. Stored objects that no longer fit this replica's configuration file are logged and skipped,
    /// keeping the federation this replica runs with.
    /// </summary>
    /// <returns>True when the federation changed.</returns>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            var stored = await documents.ListDocumentsAsync(cancellationToken);
            var fingerprint = Fingerprint(stored);
            if (fingerprint == storedFingerprint)
            {
                return false;
            }

            storedFingerprint = fingerprint;
            var managed = Read(stored);
            try
            {
                current = Snapshot(FederationSetup.Build(managed.MergeInto(config)), managed, current);
                return true;
            }
            catch (ConfigurationException e)
            {
                logger.LogWarning("objects changed through another replica do not fit this replica's configuration file; keeping the previous federation: {Problem}", e.Message);
                return false;
            }
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Creates (<paramref name="create"/>) or replaces an API-managed object.</summary>
    public Task<FederationChange> PutAsync(string kind, string name, object settings, bool create, CancellationToken cancellationToken) =>
        ChangeAsync(kind, name, create ? ChangeMode.Create : ChangeMode.Replace, _ => settings, cancellationToken);

    /// <summary>Replaces an API-managed robot with an edit of its stored settings, atomically with other changes.</summary>
    public Task<FederationChange> EditRobotAsync(string name, Func<RobotSettings, RobotSettings> edit, CancellationToken cancellationToken) =>
        ChangeAsync(ObjectKinds.Robot, name, ChangeMode.Replace, managed => edit(managed.Robots[name]), cancellationToken);

    public Task<FederationChange> DeleteAsync(string kind, string name, CancellationToken cancellationToken) =>
        ChangeAsync(kind, name, ChangeMode.Delete, _ => null, cancellationToken);

    /// <summary>
    /// Replaces the static keys of identity provider <paramref name="name"/> with <paramref name="synced"/>
    /// (key sync). The caller has proved the sender; this checks the provider still exists and takes its
    /// keys from a static JWKS (a provider with a discovery or JWKS URL fetches its own).
    /// </summary>
    public Task<FederationChange> SyncKeysAsync(string name, SyncedJwks synced, CancellationToken cancellationToken) =>
        ChangeKeysAsync(name, synced, cancellationToken);

    /// <summary>Drops synced keys, so the provider's configured static JWKS applies again.</summary>
    public Task<FederationChange> RemoveSyncedKeysAsync(string name, CancellationToken cancellationToken) =>
        ChangeKeysAsync(name, null, cancellationToken);

    /// <summary>Null when key sync may replace this provider's keys; else why not (it fetches its own).</summary>
    public static string? KeySyncRefusal(IdentityProviderOptions provider) =>
        provider.Jwks is null && provider.JwksFile is null
            ? $"identity provider '{provider.Name}' fetches its keys from {provider.EffectiveDiscoveryUrl ?? provider.JwksUrl}; key sync is for providers with a static JWKS (jwks or jwksFile)"
            : null;

    private async Task<FederationChange> ChangeKeysAsync(string name, SyncedJwks? synced, CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            var snapshot = current;
            var provider = snapshot.Model.IdentityProviders.FirstOrDefault(p => p.Name == name);
            if (provider is null)
            {
                return FederationChange.NotFound($"identity provider '{name}' does not exist");
            }

            if (synced is null && !snapshot.Api.SyncedKeys.ContainsKey(name))
            {
                return FederationChange.NotFound($"identity provider '{name}' has no synced keys");
            }

            if (KeySyncRefusal(provider) is { } refusal)
            {
                return FederationChange.Conflict(refusal);
            }

            var managed = snapshot.Api with
            {
                SyncedKeys = synced is null ? snapshot.Api.SyncedKeys.Remove(name) : snapshot.Api.SyncedKeys.SetItem(name, synced),
            };
            var model = FederationSetup.Build(managed.MergeInto(config));
            if (synced is null)
            {
                await documents.DeleteDocumentAsync(ObjectKinds.SyncedJwks, name, cancellationToken);
            }
            else
            {
                await documents.PutDocumentAsync(Document(ObjectKinds.SyncedJwks, name, synced), cancellationToken);
            }

            current = Snapshot(model, managed, snapshot);
            return FederationChange.Applied;
        }
        finally
        {
            writer.Release();
        }
    }

    private async Task<FederationChange> ChangeAsync(string kind, string name, ChangeMode mode, Func<ManagedObjects, object?> produce, CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            var snapshot = current;
            if (configNames.Contains(kind, name))
            {
                return FederationChange.Conflict($"{kind} '{name}' is declared in the configuration file (managedBy: config): edit the file and restart Berth to change it");
            }

            var exists = snapshot.Api.Contains(kind, name);
            if (mode == ChangeMode.Create && exists)
            {
                return FederationChange.Conflict($"{kind} '{name}' already exists");
            }

            if (mode != ChangeMode.Create && !exists)
            {
                return FederationChange.NotFound($"{kind} '{name}' does not exist");
            }

            var settings = produce(snapshot.Api);
            var managed = Edit(snapshot.Api, kind, name, settings);

            // A provider created, replaced or deleted by an administrator starts again from the keys it was given.
            var dropSyncedKeys = kind == ObjectKinds.IdentityProvider && managed.SyncedKeys.ContainsKey(name);
            if (dropSyncedKeys)
            {
                managed = managed with { SyncedKeys = managed.SyncedKeys.Remove(name) };
            }

            FederationModel model;
            try
            {
                model = FederationSetup.Build(managed.MergeInto(config));
            }
            catch (ConfigurationException e)
            {
                var errors = e.Message.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(line => line != "configuration error:")
                    .ToList();
                return mode == ChangeMode.Delete
                    ? FederationChange.Conflict($"{kind} '{name}' is still in use: " + string.Join("; ", errors))
                    : FederationChange.Invalid(errors);
            }

            if (model.IsOpen && !openModeAllowed)
            {
                return FederationChange.Conflict($"{kind} '{name}' is the last identity provider or robot: without it Berth would serve {config.Server.Listen} in open mode, where anyone may push and delete. Create another first, or restart with --insecure-open if you really mean it");
            }

            if (dropSyncedKeys)
            {
                await documents.DeleteDocumentAsync(ObjectKinds.SyncedJwks, name, cancellationToken);
            }

            if (settings is null)
            {
                await documents.DeleteDocumentAsync(kind, name, cancellationToken);
            }
            else
            {
                await documents.PutDocumentAsync(Document(kind, name, settings), cancellationToken);
            }

            current = Snapshot(model, managed, snapshot);
            if (kind == ObjectKinds.Robot && mode != ChangeMode.Create)
            {
                // A changed, disabled or deleted robot's refresh tokens die with the grant they carried.
                await refreshTokens.DeleteRefreshTokensForRobotAsync(name, cancellationToken);
            }

            return FederationChange.Applied;
        }
        finally
        {
            writer.Release();
        }
    }

    private static ManagedObjects Edit(ManagedObjects managed, string kind, string name, object? settings) => (kind, settings) switch
    {
        (ObjectKinds.IdentityProvider, null) => managed with { IdentityProviders = managed.IdentityProviders.Remove(name) },
        (ObjectKinds.IdentityProvider, IdentityProviderSettings idp) => managed with { IdentityProviders = managed.IdentityProviders.SetItem(name, idp) },
        (ObjectKinds.Project, null) => managed with { Projects = managed.Projects.Remove(name) },
        (ObjectKinds.Project, ProjectSettings project) => managed with { Projects = managed.Projects.SetItem(name, project) },
        (ObjectKinds.Robot, null) => managed with { Robots = managed.Robots.Remove(name) },
        (ObjectKinds.Robot, RobotSettings robot) => managed with { Robots = managed.Robots.SetItem(name, robot) },
        _ => throw new ArgumentException($"unknown object kind '{kind}' or settings type", nameof(kind)),
    };

    private FederationSnapshot Snapshot(FederationModel model, ManagedObjects managed, FederationSnapshot? previous)
    {
        var validator = previous is null ? createValidator(model)
            : SameProviders(previous.Model, model) ? previous.Validator
            : previous.Validator.WithIdentityProviders(model.IdentityProviders);
        return new FederationSnapshot(model, new RobotMatcher(model.Robots, model.IdentityProviders), validator, managed, configNames);
    }

    private static bool SameProviders(FederationModel a, FederationModel b) =>
        JsonSerializer.Serialize(a.IdentityProviders, JsonDefaults.Options) == JsonSerializer.Serialize(b.IdentityProviders, JsonDefaults.Options);

    private StoredDocument Document(string kind, string name, object settings) =>
        new(kind, name, JsonSerializer.Serialize(settings, settings.GetType(), JsonDefaults.Options), time.GetUtcNow());

    private static ManagedObjects Read(IReadOnlyList<StoredDocument> stored)
    {
        var managed = ManagedObjects.Empty;
        foreach (var document in stored)
        {
            managed = document.Kind switch
            {
                ObjectKinds.IdentityProvider => managed with { IdentityProviders = managed.IdentityProviders.SetItem(document.Name, Read<IdentityProviderSettings>(document)) },
                ObjectKinds.Project => managed with { Projects = managed.Projects.SetItem(document.Name, Read<ProjectSettings>(document)) },
                ObjectKinds.Robot => managed with { Robots = managed.Robots.SetItem(document.Name, Read<RobotSettings>(document)) },
                ObjectKinds.SyncedJwks => managed with { SyncedKeys = managed.SyncedKeys.SetItem(document.Name, Read<SyncedJwks>(document)) },
                _ => managed,
            };
        }

        return managed;
    }

    /// <summary>What the stored documents say, to tell cheaply whether another replica changed any.</summary>
    private static string Fingerprint(IReadOnlyList<StoredDocument> stored)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var document in stored)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{document.Kind}\0{document.Name}\0{document.Json}\0"));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static T Read<T>(StoredDocument document) =>
        JsonSerializer.Deserialize<T>(document.Json, JsonDefaults.Options)
        ?? throw new ConfigurationException($"stored {document.Kind} '{document.Name}' is not a JSON object");

    private enum ChangeMode
    {
        Create,
        Replace,
        Delete,
    }
}
