using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// The user-facing contract of the seed document with podman:
/// `echo "$JWT" | podman login -u not-relevant --password-stdin HOST`, then push and pull
/// without further credentials.
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class PodmanFederatedTests(FederatedFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task PodmanLogin_GitHubToken_PushThenPullRobotPullsIntoFreshStorage()
    {
        await using var builder = ClientSandbox.Create(Server);
        await using var puller = ClientSandbox.Create(Server);
        var image = await Images.BuildAsync(builder, "localhost/fed-podman:1", layers: 2);
        var reference = $"{Server.HostPort}/library/app/podman:v1";

        await LoginAsync(builder, fixture.GitHubToken());
        await builder.PodmanAsync("push", "--quiet", "--tls-verify=false", image, $"docker://{reference}");
        await LoginAsync(puller, fixture.KubernetesToken());
        await puller.PodmanAsync("pull", "--quiet", "--tls-verify=false", reference);

        var builtId = (await builder.PodmanAsync("image", "inspect", "--format", "{{.Id}}", image)).StandardOutput.Trim();
        var pulledId = (await puller.PodmanAsync("image", "inspect", "--format", "{{.Id}}", reference)).StandardOutput.Trim();
        Assert.Equal(builtId, pulledId);
    }

    [Fact]
    public async Task PodmanLogin_GitHubToken_StoresTheTokenAsPasswordForTheRegistry()
    {
        await using var clients = ClientSandbox.Create(Server);
        var token = fixture.GitHubToken();

        await LoginAsync(clients, token);

        var auth = JsonNode.Parse(File.ReadAllText(clients.AuthFile))!["auths"]![Server.HostPort]!["auth"]!.GetValue<string>();
        Assert.Equal($"{FederatedClients.AnyUser}:{token}", Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
    }

    /// <summary>
    /// podman 4.3 words every refused login as `invalid username/password` and logs the
    /// registry's reason only at debug level (containers/common `auth.Login`), so the user
    /// finds `no robots matched your token` with `--log-level=debug`.
    /// </summary>
    [Fact]
    public async Task PodmanLogin_TokenMatchingNoRobot_FailsAndDebugLogShowsNoRobotsMatched()
    {
        await using var clients = ClientSandbox.Create(Server);
        var stranger = fixture.KubernetesToken(claims => claims["kubernetes.io"]!["namespace"] = "kube-system");

        var login = await clients.TryPodmanWithInputAsync(stranger, ["--log-level=debug", .. LoginArguments]);

        Assert.False(login.Succeeded, login.Describe("logged in with a token no robot trusts"));
        Assert.True(login.StandardError.Contains("invalid username/password", StringComparison.Ordinal), login.Describe("failed without podman's refusal"));
        Assert.True(login.StandardError.Contains("no robots matched your token", StringComparison.Ordinal), login.Describe("failed without the reason"));
        var auths = JsonNode.Parse(File.ReadAllText(clients.AuthFile))!["auths"]!.AsObject();
        Assert.Empty(auths);
    }

    [Fact]
    public async Task PodmanPush_PullRobotLogin_Refused()
    {
        await using var clients = ClientSandbox.Create(Server);
        var image = await Images.BuildAsync(clients, "localhost/fed-podman-denied:1", layers: 1);
        await LoginAsync(clients, fixture.KubernetesToken());

        var push = await clients.TryPodmanWithInputAsync(string.Empty, "push", "--tls-verify=false", image, $"docker://{Server.HostPort}/library/app/podman-denied:v1");

        Assert.False(push.Succeeded, push.Describe("pushed with a pull-only robot's login"));
        Assert.True(
            push.StandardError.Contains("denied", StringComparison.OrdinalIgnoreCase) || push.StandardError.Contains("unauthorized", StringComparison.OrdinalIgnoreCase),
            push.Describe("failed without saying denied or unauthorized"));
    }

    private string[] LoginArguments =>
        ["login", "--tls-verify=false", "-u", FederatedClients.AnyUser, "--password-stdin", Server.HostPort];

    private Task<CommandResult> LoginAsync(ClientSandbox clients, string token) =>
        clients.PodmanWithInputAsync(token + "\n", LoginArguments);
}
