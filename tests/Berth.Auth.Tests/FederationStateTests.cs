using Berth.Auth;
using Berth.Configuration;
using Berth.Data;
using Berth.Data.Sqlite;
using Berth.Federation.Tests.Support;
using Berth.Federation.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Auth.Tests;

/// <summary>
/// Two replicas' <see cref="FederationState"/> on one metadata store (a real SQLite file): what one changes
/// through the admin API, the other applies on its next reload; and the open-mode guard at run time.
/// </summary>
public sealed class FederationStateTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-state-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient http = new();
    private readonly TestKey key = TestKey.Ec("k8s-1");
    private MetadataStores store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        store = SqliteMetadata.Open(Path.Combine(folder, "metadata.db"), time);
        await store.Lifecycle.MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        http.Dispose();
        key.Dispose();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReloadAsync_RobotCreatedThenDisabledOnAnotherReplica_AppliesHere()
    {
        var one = await ReplicaAsync("127.0.0.1:5000");
        var two = await ReplicaAsync("127.0.0.1:5001");
        Assert.Equal(FederationChangeOutcome.Applied, (await one.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None)).Outcome);
        Assert.Equal(FederationChangeOutcome.Applied, (await one.PutAsync(ObjectKinds.Project, "library", new ProjectSettings { Name = "library" }, create: true, CancellationToken.None)).Outcome);
        Assert.Equal(FederationChangeOutcome.Applied, (await one.PutAsync(ObjectKinds.Robot, "builder", Builder(), create: true, CancellationToken.None)).Outcome);
        Assert.Null(two.Current.Matcher.Find("builder"));

        Assert.True(await two.ReloadAsync(CancellationToken.None));
        Assert.True(two.Current.Matcher.Find("builder")?.Enabled);
        Assert.False(await two.ReloadAsync(CancellationToken.None));

        await one.EditRobotAsync("builder", r => new RobotSettings { Name = r.Name, IdentityProvider = r.IdentityProvider, Rules = r.Rules, Permissions = r.Permissions, Enabled = false }, CancellationToken.None);
        Assert.True(await two.ReloadAsync(CancellationToken.None));
        Assert.False(two.Current.Matcher.Find("builder")?.Enabled);
    }

    [Fact]
    public async Task ReloadAsync_UnchangedProviderAfterRobotEdit_KeepsTheSameValidator()
    {
        var one = await ReplicaAsync("127.0.0.1:5000");
        var two = await ReplicaAsync("127.0.0.1:5001");
        await one.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None);
        await one.PutAsync(ObjectKinds.Project, "library", new ProjectSettings { Name = "library" }, create: true, CancellationToken.None);
        await two.ReloadAsync(CancellationToken.None);
        var validator = two.Current.Validator;

        await one.PutAsync(ObjectKinds.Robot, "builder", Builder(), create: true, CancellationToken.None);
        await two.ReloadAsync(CancellationToken.None);

        Assert.Same(validator, two.Current.Validator);
    }

    [Fact]
    public async Task DeleteAsync_LastIdentityProviderOnReachableAddress_IsRefusedInsteadOfOpeningTheRegistry()
    {
        var state = await ReplicaAsync("0.0.0.0:5000");
        await state.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None);

        var change = await state.DeleteAsync(ObjectKinds.IdentityProvider, "k3d", CancellationToken.None);

        Assert.Equal(FederationChangeOutcome.Conflict, change.Outcome);
        Assert.StartsWith("identity-provider 'k3d' is the last identity provider or robot: without it Berth would serve 0.0.0.0:5000 in open mode", change.Errors[0], StringComparison.Ordinal);
        Assert.False(state.Current.IsOpen);
    }

    [Fact]
    public async Task DeleteAsync_LastIdentityProviderOnLoopback_ReturnsToOpenMode()
    {
        var state = await ReplicaAsync("127.0.0.1:5000");
        await state.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None);

        Assert.Equal(FederationChangeOutcome.Applied, (await state.DeleteAsync(ObjectKinds.IdentityProvider, "k3d", CancellationToken.None)).Outcome);
        Assert.True(state.Current.IsOpen);
    }

    [Fact]
    public async Task DeleteAsync_TwoReplicasEachDeletingOneOfTheLastTwoObjects_SecondIsRefused()
    {
        var one = await ReplicaAsync("0.0.0.0:5000");
        var two = await ReplicaAsync("0.0.0.0:5001");
        await one.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None);
        await one.PutAsync(ObjectKinds.Robot, "legacy", new RobotSettings { Name = "legacy", SecretHash = Berth.Access.Refresh.SecretHasher.Hash("s3cret-s3cret") }, create: true, CancellationToken.None);
        await two.ReloadAsync(CancellationToken.None);

        // Each replica alone sees one object left after its delete; together they would leave none.
        var first = await one.DeleteAsync(ObjectKinds.Robot, "legacy", CancellationToken.None);
        var second = await two.DeleteAsync(ObjectKinds.IdentityProvider, "k3d", CancellationToken.None);

        Assert.Equal(FederationChangeOutcome.Applied, first.Outcome);
        Assert.Equal(FederationChangeOutcome.Conflict, second.Outcome);
        Assert.Contains("is the last identity provider or robot", second.Errors[0], StringComparison.Ordinal);
        Assert.False(two.Current.IsOpen);
        Assert.Null(two.Current.Matcher.Find("legacy"));
    }

    [Fact]
    public async Task PutAsync_RobotOnProjectDeletedThroughAnotherReplica_IsRefused()
    {
        var one = await ReplicaAsync("127.0.0.1:5000");
        var two = await ReplicaAsync("127.0.0.1:5001");
        await one.PutAsync(ObjectKinds.IdentityProvider, "k3d", KubernetesProvider(), create: true, CancellationToken.None);
        await one.PutAsync(ObjectKinds.Project, "library", new ProjectSettings { Name = "library" }, create: true, CancellationToken.None);
        await two.ReloadAsync(CancellationToken.None);
        Assert.Equal(FederationChangeOutcome.Applied, (await one.DeleteAsync(ObjectKinds.Project, "library", CancellationToken.None)).Outcome);

        var change = await two.PutAsync(ObjectKinds.Robot, "builder", Builder(), create: true, CancellationToken.None);

        Assert.Equal(FederationChangeOutcome.Invalid, change.Outcome);
        Assert.Contains("robots[builder].permissions[0].project: project 'library' does not exist; create it first: berth project add library", change.Errors);
    }

    /// <summary>A replica with an empty configuration file listening on <paramref name="listen"/> (nothing binds it).</summary>
    private async Task<FederationState> ReplicaAsync(string listen)
    {
        var config = new BerthSettings { Server = new ServerSettings { Listen = listen, InsecureOpen = false } };
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

    private IdentityProviderSettings KubernetesProvider() => new()
    {
        Name = "k3d",
        Issuer = SeedClaims.KubernetesIssuer,
        Audiences = [SeedClaims.Audience],
        Jwks = TestKey.Jwks(key),
    };

    private static RobotSettings Builder() => new()
    {
        Name = "builder",
        IdentityProvider = "k3d",
        Rules = [new RuleSettings { Claim = "sub", EqualTo = "system:serviceaccount:build:builder" }],
        Permissions = [new PermissionSettings { Project = "library", Repositories = "**", Actions = ["pull"] }],
    };
}
