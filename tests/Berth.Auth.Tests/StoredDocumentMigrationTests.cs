using System.Text.Json;
using Berth.Access.Admin;
using Berth.Access.Permissions;
using Berth.Auth;
using Berth.Auth.Documents;
using Berth.Configuration;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Federation.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Auth.Tests;

/// <summary>
/// An installation upgraded in place still holds the JSON that earlier versions stored (the fixture in
/// <c>StoredDocuments/</c>, written by the code of 2026-12-05): every identity provider, project, robot
/// and synced key set must load as it was written, and a refresh token's permissions must still read.
/// </summary>
public sealed class StoredDocumentMigrationTests : IAsyncLifetime
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-stored-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
    private readonly HttpClient http = new();
    private MetadataStores store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        store = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), time);
        await store.Lifecycle.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await store.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task LoadAsync_DocumentsStoredBeforeIssue13_ReadAsTheyWereWritten()
    {
        await StoreAsync(
            (ObjectKinds.IdentityProvider, "k3d"),
            (ObjectKinds.Project, "library"),
            (ObjectKinds.Robot, "builder"),
            (ObjectKinds.SyncedJwks, "k3d"));

        var state = await LoadAsync();
        var managed = state.Current.Api;

        var provider = managed.IdentityProviders["k3d"];
        Assert.Equal(Issuer, provider.Issuer);
        Assert.Equal(["macfly4200.8gears.ch"], provider.Audiences);
        Assert.Contains("\"kid\":\"k8s-1\"", provider.Jwks);
        Assert.False(provider.AllowInsecureHttp);
        Assert.Equal(TimeSpan.FromSeconds(30), provider.ClockSkew);
        Assert.Equal(TimeSpan.FromHours(1), provider.MaxTokenLifetime);
        Assert.Null(provider.MaxStaleKeyAge);

        Assert.True(managed.Projects["library"].Public);

        var robot = managed.Robots["builder"];
        Assert.Equal("k3d", robot.IdentityProvider);
        Assert.True(robot.Enabled);
        Assert.Equal(TimeSpan.FromHours(12), robot.RefreshTokenLifetime);
        Assert.Collection(
            robot.Rules,
            r => Assert.Equal(("sub", "system:serviceaccount:build:builder"), (r.Claim, r.EqualTo)),
            r => Assert.Equal(("kubernetes.io.namespace", "build-*"), (r.Claim, r.Glob)),
            r => Assert.Equal(("iss", "^https://.*$"), (r.Claim, r.Regex)),
            r =>
            {
                Assert.Equal("aud", r.Claim);
                Assert.Equal(["berth", "registry"], r.In);
            });
        var permission = Assert.Single(robot.Permissions);
        Assert.Equal(("library", "apps/**"), (permission.Project, permission.Repositories));
        Assert.Equal(["pull", "push"], permission.Actions);
        Assert.True(state.Current.Matcher.Find("builder")?.Enabled);

        var synced = managed.SyncedKeys["k3d"];
        Assert.Equal(["k8s-1"], synced.Kids);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero), synced.SyncedAt);
        Assert.Equal(Issuer, synced.Issuer);
        Assert.Equal("system:serviceaccount:kube-system:berth-key-sync", synced.Subject);
        Assert.Equal("jti-1", synced.TokenId);
        Assert.Equal(synced.Jwks, state.Current.Model.IdentityProviders.Single(p => p.Name == "k3d").Jwks);
    }

    [Fact]
    public void RefreshTokenPermissions_StoredBeforeIssue13_ReadAsTheyWereWritten()
    {
        // What Authenticator reads a refresh token's permissions_json with.
        var permissions = PermissionDocument.FromJson(Fixture("refresh-token-permissions.json"));

        var permission = Assert.Single(permissions);
        Assert.Equal(("library", "apps/**"), (permission.Project, permission.Repositories));
        Assert.Equal(["pull", "push"], permission.Actions);
    }

    [Fact]
    public async Task PutAsync_ApiObjects_AreStoredAsVersionedDocumentsThatReadBack()
    {
        var state = await LoadAsync();
        var provider = new IdentityProviderSettings { Name = "k3d", Issuer = Issuer, Audiences = ["berth"], Jwks = JsonDocument.Parse(Fixture("identity-provider.k3d.json")).RootElement.GetProperty("jwks").GetString() };
        Assert.Equal(FederationChangeOutcome.Applied, (await state.PutAsync(ObjectKinds.IdentityProvider, "k3d", provider, create: true, CancellationToken.None)).Outcome);
        var robot = new RobotSettings
        {
            Name = "builder",
            IdentityProvider = "k3d",
            Rules = [new RuleSettings { Claim = "sub", EqualTo = "system:serviceaccount:build:builder" }],
            Permissions = [new PermissionSettings { Project = "*", Actions = ["pull"] }],
        };
        Assert.Equal(FederationChangeOutcome.Applied, (await state.PutAsync(ObjectKinds.Robot, "builder", robot, create: true, CancellationToken.None)).Outcome);

        var stored = (await store.Documents.ReadDocumentsAsync(CancellationToken.None)).Documents;
        Assert.All(stored, d => Assert.Equal(1, JsonDocument.Parse(d.Json).RootElement.GetProperty("schemaVersion").GetInt32()));
        var reloaded = (await LoadAsync()).Current.Api;
        Assert.Equal(Issuer, reloaded.IdentityProviders["k3d"].Issuer);
        var rule = Assert.Single(reloaded.Robots["builder"].Rules);
        Assert.Equal(("sub", "system:serviceaccount:build:builder"), (rule.Claim, rule.EqualTo));
        Assert.Equal("**", Assert.Single(reloaded.Robots["builder"].Permissions).Repositories);
    }

    private static string Fixture(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StoredDocuments", file));

    private async Task StoreAsync(params (string Kind, string Name)[] documents)
    {
        var puts = documents.Select(d => new StoredDocument(d.Kind, d.Name, Fixture($"{d.Kind}.{d.Name}.json"), time.GetUtcNow())).ToList();
        var revision = await store.Documents.GetDocumentsRevisionAsync(CancellationToken.None);
        Assert.True(await store.Documents.WriteDocumentsAsync(revision, puts, [], CancellationToken.None));
    }

    private async Task<FederationState> LoadAsync()
    {
        var config = new BerthSettings { Server = new ServerSettings { Listen = "127.0.0.1:5000", InsecureOpen = false } };
        var state = new FederationState(
            config,
            FederationSetup.Build(config),
            store.Documents,
            store.RefreshTokens,
            model => new WorkloadTokenValidator(model.IdentityProviders, http, time),
            time,
            NullLogger<FederationState>.Instance);
        await state.LoadAsync(CancellationToken.None);
        return state;
    }
}
