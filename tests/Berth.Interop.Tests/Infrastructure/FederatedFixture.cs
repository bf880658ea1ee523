using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// One `berth serve --config` child process trusting two test identity providers
/// (<see cref="FederatedConfig"/>), shared by the federated client tests. Workload tokens are
/// the seed document's claim sets signed with the providers' keys, issued 10 s before now
/// (GitHub's live 5 minutes, Kubernetes' an hour), so each test mints its own.
/// </summary>
public sealed class FederatedFixture : IAsyncLifetime
{
    private readonly TestKey gitHubKey = TestKey.Rsa("gh-interop-1");
    private readonly TestKey kubernetesKey = TestKey.Ec("k8s-interop-1");
    private TempDirectory? data;
    private RegistryServer? server;

    internal RegistryServer Server => server ?? throw new InvalidOperationException("fixture not started");

    /// <summary>A GitHub Actions token whose claims match the push robot (after <paramref name="edit"/>).</summary>
    internal string GitHubToken(Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.GitHubAt(DateTimeOffset.UtcNow);
        edit?.Invoke(claims);
        return gitHubKey.Sign(claims.ToJsonString());
    }

    /// <summary>A Kubernetes service-account token whose claims match the pull robot (after <paramref name="edit"/>).</summary>
    internal string KubernetesToken(Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.KubernetesAt(DateTimeOffset.UtcNow);
        edit?.Invoke(claims);
        return kubernetesKey.Sign(claims.ToJsonString());
    }

    public async Task InitializeAsync()
    {
        data = TempDirectory.Create("fed");
        var config = data.Combine("berth.yaml");
        await File.WriteAllTextAsync(config, FederatedConfig.Yaml(gitHubKey, kubernetesKey));
        server = await RegistryServer.StartBerthAsync(data.Combine("registry"), config, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        if (data is not null)
        {
            await data.DisposeAsync();
        }
        gitHubKey.Dispose();
        kubernetesKey.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FederatedCollection : ICollectionFixture<FederatedFixture>
{
    public const string Name = "federated";
}
