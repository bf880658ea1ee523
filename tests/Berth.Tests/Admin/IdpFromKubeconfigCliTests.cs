using System.Net;
using System.Text.Json;
using Berth.Federation.Tests.Support;
using Berth.Tests.Cli;
using Berth.Tests.Kube;

namespace Berth.Tests.Admin;

/// <summary>
/// <c>berth idp add kubernetes --from-kubeconfig</c>: the real executable reads a fake cluster's issuer
/// discovery through its API server (a kubeconfig on 127.0.0.1) and the running Berth then trusts it.
/// </summary>
public sealed class IdpFromKubeconfigCliTests : IAsyncLifetime
{
    private const string ClusterIssuer = "https://private-cluster.example";

    private readonly TestKey clusterKey = TestKey.Ec("private-cluster-1");
    private AdminCli cli = null!;
    private FakeKubeApiServer cluster = null!;

    public async Task InitializeAsync()
    {
        cli = await AdminCli.StartAsync();
        cluster = await FakeKubeApiServer.StartAsync();
        cluster.ServiceAccountIssuer = ClusterIssuer;
        cluster.ServiceAccountJwks = TestKey.Jwks(clusterKey);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await cli.DisposeAsync();
        clusterKey.Dispose();
    }

    [Fact]
    public async Task IdpAddKubernetes_FromKubeconfigPath_TrustsTheClustersIssuerAndKeysSoItsTokensLogIn()
    {
        await cli.LoginAsync();
        var kubeconfig = await cluster.WriteKubeconfigAsync(cli.Home);

        var added = await cli.RunAsync(null, "idp", "add", "kubernetes", "--name", "private", "--audience", SeedClaims.Audience, "--from-kubeconfig", kubeconfig);

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("keys private-cluster-1 read from", added.Output, StringComparison.Ordinal);
        Assert.Equal(["GET /.well-known/openid-configuration", "GET /openid/v1/jwks"], cluster.Requests);
        var shown = JsonDocument.Parse((await cli.RunAsync(null, "idp", "show", "private", "--output", "json")).Output).RootElement;
        Assert.Equal(ClusterIssuer, shown.GetProperty("issuer").GetString());
        var robot = await cli.RunAsync(null, "robot", "add", "private-pull", "--idp", "private", "--rule", "sub=system:serviceaccount:default:default", "--allow", "pull:library/**");
        Assert.True(robot.ExitCode == 0, robot.Error);
        using var token = await cli.Admin.Registry.RequestTokenAsync(ClusterToken(), "private-pull", scopes: "repository:library/app:pull");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task IdpAddKubernetes_FromKubeconfigWithoutPath_ReadsKubeconfigVariableAndKeepsATypedIssuer()
    {
        await cli.LoginAsync();
        var kubeconfig = await cluster.WriteKubeconfigAsync(cli.Home);

        var added = await cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig }, null,
            "idp", "add", "kubernetes", "--name", "typed", "--issuer", "https://typed.example", "--audience", SeedClaims.Audience, "--from-kubeconfig");

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains($"the cluster at {cluster.BaseUrl} says its issuer is {ClusterIssuer}, not https://typed.example", added.Error, StringComparison.Ordinal);
        var shown = JsonDocument.Parse((await cli.RunAsync(null, "idp", "show", "typed", "--output", "json")).Output).RootElement;
        Assert.Equal("https://typed.example", shown.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task IdpAddKubernetes_DiscoveryForbidden_ExitOneAndNamesTheClusterRoleToBind()
    {
        await cli.LoginAsync();
        cluster.RefuseWith = 403;

        var added = await cli.RunAsync(null, "idp", "add", "kubernetes", "--audience", SeedClaims.Audience, "--from-kubeconfig", await cluster.WriteKubeconfigAsync(cli.Home));

        Assert.Equal(1, added.ExitCode);
        Assert.Contains("refused GET /.well-known/openid-configuration (403 Forbidden: forbidden: User", added.Error, StringComparison.Ordinal);
        Assert.Contains("--clusterrole=system:service-account-issuer-discovery", added.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await cli.RunAsync(null, "idp", "show", "kubernetes")).ExitCode);
    }

    [Fact]
    public async Task IdpAddKubernetes_ClusterUnreachable_ExitOneAndSaysWhichServer()
    {
        await cli.LoginAsync();
        var server = ClosedLoopbackUrl();
        var kubeconfig = Path.Combine(cli.Home, "unreachable");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{ name: gone, cluster: { server: "{{server}}" } }]
            users: [{ name: admin, user: { token: anything } }]
            contexts: [{ name: gone, context: { cluster: gone, user: admin } }]
            current-context: gone
            """.Replace("{{server}}", server, StringComparison.Ordinal));

        var added = await cli.RunAsync(null, "idp", "add", "kubernetes", "--audience", SeedClaims.Audience, "--from-kubeconfig", kubeconfig);

        Assert.Equal(1, added.ExitCode);
        Assert.Contains($"cannot reach the cluster at {server} (kubeconfig {kubeconfig})", added.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdpAddKubernetes_NoKubeconfigAnywhere_ExitOneAndSaysWhereItLooked()
    {
        await cli.LoginAsync();

        var added = await cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["HOME"] = cli.Home }, null, "idp", "add", "kubernetes", "--audience", SeedClaims.Audience, "--from-kubeconfig");

        Assert.Equal(1, added.ExitCode);
        Assert.Contains($"kubeconfig {Path.Combine(cli.Home, ".kube", "config")} not found", added.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdpAddKubernetes_FromKubeconfigAndJwksFile_ExitTwo()
    {
        var added = await cli.RunAsync(null, "idp", "add", "kubernetes", "--audience", SeedClaims.Audience, "--jwks-file", "jwks.json", "--from-kubeconfig");

        Assert.Equal(2, added.ExitCode);
        Assert.Contains("give one of --jwks-file", added.Error, StringComparison.Ordinal);
    }

    // A port that was listening a moment ago and no longer is: connections are refused at once.
    private static string ClosedLoopbackUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    private string ClusterToken()
    {
        var claims = SeedClaims.KubernetesAt(cli.Admin.Registry.Time.GetUtcNow());
        claims["iss"] = ClusterIssuer;
        return clusterKey.Sign(claims.ToJsonString());
    }
}
