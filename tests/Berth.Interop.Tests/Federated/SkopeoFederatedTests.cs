using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// skopeo against `berth serve --config` with workload tokens as passwords
/// (`--creds not-relevant:$JWT`): the push robot pushes, the pull robot pulls, and each is
/// refused what its permissions do not grant.
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class SkopeoFederatedTests(FederatedFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task SkopeoCopy_PushRobotGitHubToken_PushesAndPullRobotInspectsSameDigest()
    {
        await using var clients = ClientSandbox.Create(Server);
        var layout = await Images.BuildLayoutAsync(clients, "fed-web", layers: 2);
        var reference = $"docker://{Server.HostPort}/library/app/web:v1";

        var pushed = await FederatedClients.PushAsync(clients, layout, reference, fixture.GitHubToken());

        var inspected = (await FederatedClients.TryInspectAsync(clients, reference, FederatedClients.AnyUser, fixture.KubernetesToken())).EnsureSuccess();
        var image = JsonNode.Parse(inspected.StandardOutput)!;
        Assert.Equal(pushed, (string?)image["Digest"]);
        Assert.Equal(2, image["Layers"]!.AsArray().Count);
    }

    [Fact]
    public async Task SkopeoCopy_PullRobotKubernetesToken_PushRefused()
    {
        await using var clients = ClientSandbox.Create(Server);
        var layout = await Images.BuildLayoutAsync(clients, "fed-pullonly", layers: 1);
        var reference = $"docker://{Server.HostPort}/library/app/pull-only:v1";

        var push = await FederatedClients.TryPushAsync(clients, layout, reference, fixture.KubernetesToken());

        Assert.False(push.Succeeded, push.Describe("succeeded with a pull-only robot's token"));
        AssertRefused(push);
        var lookup = await FederatedClients.TryInspectAsync(clients, reference, FederatedClients.AnyUser, fixture.GitHubToken());
        Assert.False(lookup.Succeeded, lookup.Describe("found an image the refused push should not have written"));
        Assert.Contains("manifest unknown", lookup.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SkopeoCopy_PushRobotOutsideItsRepositories_PushRefusedWhilePullWorks()
    {
        await using var clients = ClientSandbox.Create(Server);
        var layout = await Images.BuildLayoutAsync(clients, "fed-outside", layers: 1);
        var inside = $"docker://{Server.HostPort}/library/app/inside:v1";
        var outside = $"docker://{Server.HostPort}/library/tools/outside:v1";
        await FederatedClients.PushAsync(clients, layout, inside, fixture.GitHubToken());

        var push = await FederatedClients.TryPushAsync(clients, layout, outside, fixture.GitHubToken());

        Assert.False(push.Succeeded, push.Describe("pushed outside library/app/**"));
        AssertRefused(push);
        (await FederatedClients.TryInspectAsync(clients, inside, FederatedClients.AnyUser, fixture.GitHubToken())).EnsureSuccess();
    }

    [Fact]
    public async Task SkopeoInspect_TokenMatchingNoRobot_ReportsNoRobotsMatched()
    {
        await using var clients = ClientSandbox.Create(Server);
        var stranger = fixture.GitHubToken(claims =>
        {
            claims["repository_owner_id"] = "1";
            claims["repository"] = "someone-else/app";
        });

        var inspect = await FederatedClients.TryInspectAsync(clients, $"docker://{Server.HostPort}/library/app/web:v1", FederatedClients.AnyUser, stranger);

        Assert.False(inspect.Succeeded, inspect.Describe("succeeded with a token no robot trusts"));
        Assert.Contains("no robots matched your token", inspect.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkopeoInspect_ExpiredToken_ReportsTokenExpired()
    {
        await using var clients = ClientSandbox.Create(Server);
        var expired = fixture.GitHubToken(claims =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            claims["iat"] = now - 900;
            claims["nbf"] = now - 900;
            claims["exp"] = now - 600;
        });

        var inspect = await FederatedClients.TryInspectAsync(clients, $"docker://{Server.HostPort}/library/app/web:v1", FederatedClients.AnyUser, expired);

        Assert.False(inspect.Succeeded, inspect.Describe("succeeded with an expired token"));
        Assert.Contains("token_expired", inspect.StandardError, StringComparison.Ordinal);
    }

    /// <summary>skopeo words a registry refusal as `denied` (403) or `unauthorized` (401).</summary>
    private static void AssertRefused(CommandResult result)
    {
        var error = result.StandardError;
        Assert.True(
            error.Contains("denied", StringComparison.OrdinalIgnoreCase) || error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase),
            result.Describe("failed without saying denied or unauthorized"));
    }
}
