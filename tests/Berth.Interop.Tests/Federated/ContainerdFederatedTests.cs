using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// The kubelet's pull: containerd (Debian's 1.6, through <c>ctr</c>) with the credentials the
/// kubelet credential provider answers, username <c>jwt</c> and the pod's service-account token as
/// password (<see cref="KubeletPluginTests"/> proves the plugin answers exactly that). containerd
/// POSTs <c>grant_type=password</c> to the token service first and falls back to a Basic GET.
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class ContainerdFederatedTests(FederatedFixture fixture, ContainerdFixture containerd) : IClassFixture<ContainerdFixture>
{
    private const string KubeletUser = "jwt";

    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task CtrPull_KubeletCredentials_PullsImagePushedBySkopeo()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"{Server.HostPort}/library/app/containerd-pull:v1";
        var layout = await Images.BuildLayoutAsync(clients, "fed-ctr", layers: 2);
        var pushed = await FederatedClients.PushAsync(clients, layout, $"docker://{reference}", fixture.GitHubToken());

        await containerd.CtrAsync(PullArguments(reference, fixture.KubernetesToken()));

        var listed = await containerd.CtrAsync("images", "ls");
        var line = Assert.Single(listed.StandardOutput.Split('\n'), l => l.StartsWith(reference + " ", StringComparison.Ordinal));
        Assert.Contains(pushed, line, StringComparison.Ordinal);
    }

    /// <summary>
    /// ctr (and so the kubelet's log) shows the token service's status only, not the reason in
    /// its answer's body.
    /// </summary>
    [Fact]
    public async Task CtrPull_TokenMatchingNoRobot_RefusedAsUnauthorized()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"{Server.HostPort}/library/app/containerd-stranger:v1";
        var layout = await Images.BuildLayoutAsync(clients, "fed-ctr-stranger", layers: 1);
        await FederatedClients.PushAsync(clients, layout, $"docker://{reference}", fixture.GitHubToken());
        var stranger = fixture.KubernetesToken(claims => claims["kubernetes.io"]!["namespace"] = "kube-system");

        var pull = await containerd.TryCtrAsync(PullArguments(reference, stranger));

        Assert.False(pull.Succeeded, pull.Describe("pulled with a token no robot trusts"));
        Assert.True(
            pull.StandardError.Contains("failed to authorize", StringComparison.Ordinal) && pull.StandardError.Contains("401 Unauthorized", StringComparison.Ordinal),
            pull.Describe("failed without containerd's authorization error"));
        var listed = await containerd.CtrAsync("images", "ls", "--quiet");
        Assert.DoesNotContain(reference, listed.StandardOutput, StringComparison.Ordinal);
    }

    private static string[] PullArguments(string reference, string token) =>
        ["images", "pull", "--plain-http", "--snapshotter", "native", "--user", $"{KubeletUser}:{token}", reference];
}
