using System.Text.Json;
using Berth.Access.Admin;
using Berth.Access.Refresh;
using Berth.Configuration;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;
using Berth.Http;

namespace Berth.Auth;

/// <summary>
/// The federation Berth runs with right now: an immutable <see cref="FederationSnapshot"/> swapped
/// atomically. Objects from the configuration file (<c>managedBy: config</c>) are merged with those
/// created through the admin API (persisted as documents in the metadata store). Every change is
/// validated as a whole by <see cref="FederationSetup"/> before it is stored; the workload token
/// validator is rebuilt only when identity providers change, so key caches survive robot edits.
/// </summary>
internal sealed class FederationState
{
    private readonly BerthSettings config;
    private readonly ConfigNames configNames;
    private readonly IDocumentStore documents;
    private readonly IRefreshTokenStore refreshTokens;
    private readonly Func<FederationModel, WorkloadTokenValidator> createValidator;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writer = new(1, 1);
    private volatile FederationSnapshot current;

    /// <param name="configModel">The configuration file's model, already validated at start-up.</param>
    public FederationState(
        BerthSettings config,
        FederationModel configModel,
        IDocumentStore documents,
        IRefreshTokenStore refreshTokens,
        Func<FederationModel, WorkloadTokenValidator> createValidator,
        TimeProvider time)
    {
        this.config = config;
        this.documents = documents;
        this.refreshTokens = refreshTokens;
        this.createValidator = createValidator;
        this.time = time;
        configNames = ConfigNames.From(config);
        current = Snapshot(configModel, ManagedObjects.Empty, previous: null);
    }

    public FederationSnapshot Current => current;

    /// <summary>Reads the API-managed objects from the store (at start-up, before requests are served).</summary>
    /// <exception cref="ConfigurationException">The stored objects no longer fit the configuration file, e.g. a name now declared twice.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await documents.ListDocumentsAsync(cancellationToken);
        var managed = ManagedObjects.Empty;
        foreach (var document in stored)
        {
            managed = document.Kind switch
            {
                ObjectKinds.IdentityProvider => managed with { IdentityProviders = managed.IdentityProviders.SetItem(document.Name, Read<IdentityProviderSettings>(document)) },
                ObjectKinds.Project => managed with { Projects = managed.Projects.SetItem(document.Name, Read<ProjectSettings>(document)) },
                ObjectKinds.Robot => managed with { Robots = managed.Robots.SetItem(document.Name, Read<RobotSettings>(document)) },
                _ => managed,
            };
        }

        var model = FederationSetup.Build(managed.MergeInto(config));
        current = Snapshot(model, managed, current);
    }

    /// <summary>Creates (<paramref name="create"/>) or replaces an API-managed object.</summary>
    public Task<FederationChange> PutAsync(string kind, string name, object settings, bool create, CancellationToken cancellationToken) =>
        ChangeAsync(kind, name, create ? ChangeMode.Create : ChangeMode.Replace, _ => settings, cancellationToken);

    /// <summary>Replaces an API-managed robot with an edit of its stored settings, atomically with other changes.</summary>
    public Task<FederationChange> EditRobotAsync(string name, Func<RobotSettings, RobotSettings> edit, CancellationToken cancellationToken) =>
        ChangeAsync(ObjectKinds.Robot, name, ChangeMode.Replace, managed => edit(managed.Robots[name]), cancellationToken);

    public Task<FederationChange> DeleteAsync(string kind, string name, CancellationToken cancellationToken) =>
        ChangeAsync(kind, name, ChangeMode.Delete, _ => null, cancellationToken);

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

            if (settings is null)
            {
                await documents.DeleteDocumentAsync(kind, name, cancellationToken);
            }
            else
            {
                await documents.PutDocumentAsync(new StoredDocument(kind, name, JsonSerializer.Serialize(settings, settings.GetType(), JsonDefaults.Options), time.GetUtcNow()), cancellationToken);
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
        var validator = previous is not null && SameProviders(previous.Model, model) ? previous.Validator : createValidator(model);
        return new FederationSnapshot(model, new RobotMatcher(model.Robots, model.IdentityProviders), validator, managed, configNames);
    }

    private static bool SameProviders(FederationModel a, FederationModel b) =>
        JsonSerializer.Serialize(a.IdentityProviders, JsonDefaults.Options) == JsonSerializer.Serialize(b.IdentityProviders, JsonDefaults.Options);

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
