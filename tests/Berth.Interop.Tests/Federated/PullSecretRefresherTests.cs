using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;
using Berth.Kube;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// FluxCD's path through `berth kube refresh-pull-secret`: the refresher's own exchange (service
/// account token → Berth refresh token) and its own <c>.dockerconfigjson</c> (an
/// <c>identitytoken</c> entry), used by skopeo as <c>--authfile</c>: containers/image then runs
/// the OAuth2 refresh grant against the realm, as go-containerregistry in Flux does. Only the
/// Kubernetes Secret write is left out (no API server here).
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class PullSecretRefresherTests(FederatedFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task SkopeoAuthFile_RefresherDockerConfigJson_PullsWithIdentityToken()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"docker://{Server.HostPort}/library/app/flux:v1";
        var layout = await Images.BuildLayoutAsync(clients, "fed-flux", layers: 1);
        var pushed = await FederatedClients.PushAsync(clients, layout, reference, fixture.GitHubToken());
        var options = new PullSecretRefreshOptions(Server.BaseAddress, "unused-token-file", "flux-system", "berth-pull", null, null);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var credential = await new RegistryCredentialExchange(http, TimeProvider.System)
            .ExchangeAsync(options, fixture.KubernetesToken(), CancellationToken.None);
        var authFile = clients.PathOf("dockerconfig.json");
        await File.WriteAllBytesAsync(authFile, DockerConfigJson.Create(options.RegistryKey, credential.RefreshToken));

        var inspected = await clients.SkopeoAsync("inspect", "--tls-verify=false", "--authfile", authFile, reference);
        Assert.Equal(pushed, (string?)JsonNode.Parse(inspected.StandardOutput)!["Digest"]);
        var pulled = clients.PathOf("pulled");
        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--src-tls-verify=false", "--src-authfile", authFile,
            "--preserve-digests", reference, $"oci:{pulled}:v1");
        Assert.Equal(pushed, (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(pulled, "index.json")))!["manifests"]![0]!["digest"]);
    }

    [Fact]
    public async Task SkopeoAuthFile_RefresherIdentityTokenOfPullRobot_PushRefused()
    {
        await using var clients = ClientSandbox.Create(Server);
        var layout = await Images.BuildLayoutAsync(clients, "fed-flux-denied", layers: 1);
        var options = new PullSecretRefreshOptions(Server.BaseAddress, "unused-token-file", "flux-system", "berth-pull", null, null);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var credential = await new RegistryCredentialExchange(http, TimeProvider.System)
            .ExchangeAsync(options, fixture.KubernetesToken(), CancellationToken.None);
        var authFile = clients.PathOf("dockerconfig.json");
        await File.WriteAllBytesAsync(authFile, DockerConfigJson.Create(options.RegistryKey, credential.RefreshToken));

        var push = await clients.TrySkopeoAsync(
            "copy", "--insecure-policy", "--dest-tls-verify=false", "--dest-authfile", authFile,
            layout, $"docker://{Server.HostPort}/library/app/flux-denied:v1");

        Assert.False(push.Succeeded, push.Describe("pushed with a pull-only robot's refresh token"));
        Assert.True(
            push.StandardError.Contains("denied", StringComparison.OrdinalIgnoreCase) || push.StandardError.Contains("unauthorized", StringComparison.OrdinalIgnoreCase),
            push.Describe("failed without saying denied or unauthorized"));
    }
}
