using System.Text.Json.Nodes;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// The seed document's own client: `echo "$JWT" | docker login -u not-relevant --password-stdin HOST`,
/// then `docker push` and `docker pull` with what login stored, against a private dockerd
/// (Debian's docker.io 20.10). docker login asks the token service for an offline token and keeps the
/// refresh token as `identitytoken`; every later push and pull trades it for a registry token
/// (`grant_type=refresh_token`), so these tests prove that path, not the JWT's.
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class DockerFederatedTests(FederatedFixture fixture, DockerFixture docker) : IClassFixture<DockerFixture>
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task DockerLogin_GitHubToken_SucceedsAndStoresRefreshTokenNotTheJwt()
    {
        var client = docker.NewClient();
        var token = fixture.GitHubToken();

        var login = await LoginAsync(client, token);

        Assert.Contains("Login Succeeded", login.StandardOutput, StringComparison.Ordinal);
        var stored = File.ReadAllText(client.ConfigFile);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        var entry = JsonNode.Parse(stored)!["auths"]![Server.HostPort]!;
        Assert.False(string.IsNullOrEmpty((string?)entry["identitytoken"]), stored);
    }

    [Fact]
    public async Task DockerPush_PushRobotLogin_PullRobotPullsByTagAndByDigest()
    {
        var pusher = docker.NewClient();
        var puller = docker.NewClient();
        var repository = $"{Server.HostPort}/library/app/docker-web";
        await pusher.ImportAsync($"{repository}:v1");
        await LoginAsync(pusher, fixture.GitHubToken());

        var pushed = await pusher.PushAsync($"{repository}:v1");

        await pusher.RunAsync("image", "rm", $"{repository}:v1");
        await LoginAsync(puller, fixture.KubernetesToken());
        var byTag = await puller.RunAsync("pull", $"{repository}:v1");
        Assert.Contains($"Digest: {pushed}", byTag.StandardOutput, StringComparison.Ordinal);
        await puller.RunAsync("image", "rm", $"{repository}:v1");
        var byDigest = await puller.RunAsync("pull", $"{repository}@{pushed}");
        Assert.Contains($"Digest: {pushed}", byDigest.StandardOutput, StringComparison.Ordinal);
        var repoDigests = await puller.RunAsync("image", "inspect", "--format", "{{json .RepoDigests}}", $"{repository}@{pushed}");
        Assert.Contains($"\"{repository}@{pushed}\"", repoDigests.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// A push outside the robot's permissions: the push robot outside <c>library/app/**</c>, the
    /// pull robot anywhere. docker prints the registry's code and message as they are.
    /// </summary>
    [Theory]
    [InlineData("github", "library/tools/docker-outside")]
    [InlineData("kubernetes", "library/app/docker-pull-only")]
    public async Task DockerPush_OutsideRobotPermissions_PrintsDeniedAndWritesNothing(string identityProvider, string repository)
    {
        var client = docker.NewClient();
        var reader = docker.NewClient();
        var reference = $"{Server.HostPort}/{repository}:v1";
        await client.ImportAsync(reference);
        await LoginAsync(client, identityProvider == "github" ? fixture.GitHubToken() : fixture.KubernetesToken());

        var push = await client.TryRunAsync("push", reference);

        Assert.False(push.Succeeded, push.Describe("pushed outside the robot's permissions"));
        Assert.True(
            push.StandardError.Contains("denied: requested access to the resource is denied", StringComparison.Ordinal),
            push.Describe("failed without the denied message"));
        await LoginAsync(reader, fixture.KubernetesToken());
        var pull = await reader.TryRunAsync("pull", reference);
        Assert.False(pull.Succeeded, pull.Describe("pulled an image the refused push should not have written"));
        Assert.True(pull.StandardError.Contains("manifest unknown", StringComparison.Ordinal), pull.Describe("failed, but not for a missing manifest"));
    }

    [Fact]
    public async Task DockerLogout_AfterLogin_RemovesCredentialAndPullIsRefused()
    {
        var pusher = docker.NewClient();
        var client = docker.NewClient();
        var reference = $"{Server.HostPort}/library/app/docker-logout:v1";
        await pusher.ImportAsync(reference);
        await LoginAsync(pusher, fixture.GitHubToken());
        await pusher.PushAsync(reference);
        await pusher.RunAsync("image", "rm", reference);
        await LoginAsync(client, fixture.KubernetesToken());
        await client.RunAsync("pull", reference);
        await client.RunAsync("image", "rm", reference);

        var logout = await client.RunAsync("logout", Server.HostPort);

        Assert.Contains($"Removing login credentials for {Server.HostPort}", logout.StandardOutput, StringComparison.Ordinal);
        var auths = JsonNode.Parse(File.ReadAllText(client.ConfigFile))!["auths"]!.AsObject();
        Assert.False(auths.ContainsKey(Server.HostPort), auths.ToJsonString());
        var pull = await client.TryRunAsync("pull", reference);
        Assert.False(pull.Succeeded, pull.Describe("pulled a private repository after logout"));
        // After logout docker holds an anonymous registry token, which is no login: the registry asks it to
        // log in (docker prints "unauthorized: authentication required"), rather than "denied" as if a robot
        // lacked a permission, or docker's "repository does not exist or may require 'docker login'".
        Assert.True(
            pull.StandardError.Contains("unauthorized: authentication required", StringComparison.Ordinal),
            pull.Describe("failed without the registry asking the anonymous puller to log in"));
    }

    [Fact]
    public async Task DockerLogin_TokenMatchingNoRobot_PrintsReasonAndStoresNothing()
    {
        var client = docker.NewClient();
        var stranger = fixture.KubernetesToken(claims => claims["kubernetes.io"]!["namespace"] = "kube-system");

        var login = await client.TryRunWithInputAsync(stranger + "\n", LoginArguments);

        Assert.False(login.Succeeded, login.Describe("logged in with a token no robot trusts"));
        Assert.True(
            login.StandardError.Contains("unauthorized: no robots matched your token", StringComparison.Ordinal),
            login.Describe("failed without the registry's reason"));
        Assert.False(File.Exists(client.ConfigFile) && File.ReadAllText(client.ConfigFile).Contains(Server.HostPort, StringComparison.Ordinal), "a refused login stored credentials");
    }

    private string[] LoginArguments => ["login", "-u", FederatedClients.AnyUser, "--password-stdin", Server.HostPort];

    private Task<CommandResult> LoginAsync(DockerClient client, string token) =>
        client.RunWithInputAsync(token + "\n", LoginArguments);
}
