using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli;
using Berth.Kube;
using Berth.Tests.Auth;

namespace Berth.Tests.Kube;

/// <summary>
/// <c>berth kube refresh-pull-secret</c> end to end, in process: a real Berth (federated Kubernetes
/// issuer, robot <c>cluster-pull</c>), a fake API server on loopback, and the Secret it writes used
/// the way Flux and skopeo use it.
/// </summary>
public sealed class RefreshPullSecretTests : IAsyncLifetime
{
    private const string Namespace = "flux-system";
    private const string SecretName = "berth-pull";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-kube-" + Guid.NewGuid().ToString("N"));
    private FederatedRegistry registry = null!;
    private FakeKubeApiServer kube = null!;
    private string kubeconfig = null!;
    private string tokenFile = null!;

    private string RegistryUrl => registry.Client.BaseAddress!.ToString();

    private string RegistryKey => registry.Client.BaseAddress!.Authority;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        registry = await FederatedRegistry.StartAsync();
        kube = await FakeKubeApiServer.StartAsync();
        kubeconfig = await kube.WriteKubeconfigAsync(folder);
        tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, registry.KubernetesToken() + "\n");
    }

    public async Task DisposeAsync()
    {
        await kube.DisposeAsync();
        await registry.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RefreshPullSecret_NoSecretYet_CreatesDockerConfigJsonSecretWithIdentityToken()
    {
        var run = await RunAsync();

        Assert.Equal(0, run.Exit);
        Assert.Contains($"created Secret {Namespace}/{SecretName}", run.Output, StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/namespaces/flux-system/secrets/berth-pull", "POST /api/v1/namespaces/flux-system/secrets"], kube.Requests);
        var secret = kube.Secret(Namespace, SecretName)!;
        Assert.Equal("kubernetes.io/dockerconfigjson", secret["type"]!.GetValue<string>());
        Assert.Equal([".dockerconfigjson"], secret["data"]!.AsObject().Select(p => p.Key));
        var entry = Auths(secret).Single();
        Assert.Equal(RegistryKey, entry.Key);
        var identityToken = entry.Value!["identitytoken"]!.GetValue<string>();
        Assert.StartsWith("berth_rt_", identityToken, StringComparison.Ordinal);
        Assert.Equal("<token>:", Encoding.UTF8.GetString(Convert.FromBase64String(entry.Value["auth"]!.GetValue<string>())));
        Assert.Equal(["auth", "identitytoken"], entry.Value.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(identityToken, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_NoSecretYet_AnnotatesRegistryServiceTimeAndWorkload()
    {
        var run = await RunAsync();

        Assert.Equal(0, run.Exit);
        var metadata = kube.Secret(Namespace, SecretName)!["metadata"]!;
        var annotations = metadata["annotations"]!.AsObject();
        Assert.Equal(RegistryKey, annotations[PullSecretAnnotations.Registry]!.GetValue<string>());
        Assert.Equal("berth", annotations[PullSecretAnnotations.Service]!.GetValue<string>()); // discovered from the /v2/ challenge
        Assert.True(DateTimeOffset.TryParse(annotations[PullSecretAnnotations.RefreshedAt]!.GetValue<string>(), out _));
        Assert.Equal("system:serviceaccount:default:default", annotations[PullSecretAnnotations.WorkloadSubject]!.GetValue<string>());
        Assert.Equal(PullSecretAnnotations.ManagedBy, metadata["labels"]![PullSecretAnnotations.ManagedByLabel]!.GetValue<string>());
        Assert.DoesNotContain("berth_rt_", metadata.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_SecretExists_ReplacesItAndKeepsForeignMetadata()
    {
        kube.Seed(Namespace, SecretName, new JsonObject
        {
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["team"] = "platform", [PullSecretAnnotations.ExpiresAt] = "2000-01-01T00:00:00Z" },
                ["labels"] = new JsonObject { ["app"] = "flux" },
            },
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("""{"auths":{"old":{"identitytoken":"berth_rt_old"}}}"""u8.ToArray()) },
        });

        var run = await RunAsync();

        Assert.Equal(0, run.Exit);
        Assert.Contains("replaced Secret", run.Output, StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/namespaces/flux-system/secrets/berth-pull", "PUT /api/v1/namespaces/flux-system/secrets/berth-pull"], kube.Requests);
        var secret = kube.Secret(Namespace, SecretName)!;
        var entry = Auths(secret).Single();
        Assert.Equal(RegistryKey, entry.Key);
        Assert.NotEqual("berth_rt_old", entry.Value!["identitytoken"]!.GetValue<string>());
        Assert.Equal("platform", secret["metadata"]!["annotations"]!["team"]!.GetValue<string>());
        // The stale expiry is replaced by the new refresh token's, which the token service reports.
        var expiresAt = DateTimeOffset.Parse(secret["metadata"]!["annotations"]![PullSecretAnnotations.ExpiresAt]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(70));
        Assert.Equal("flux", secret["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshPullSecret_ConcurrentWriterOnReplace_ReadsAgainAndSucceeds()
    {
        kube.Seed(Namespace, SecretName, new JsonObject { ["type"] = "kubernetes.io/dockerconfigjson", ["data"] = new JsonObject() });
        kube.ConflictsBeforeReplace = 1;

        var run = await RunAsync();

        Assert.Equal(0, run.Exit);
        Assert.Equal(4, kube.Requests.Count); // GET, PUT (409), GET, PUT
        Assert.StartsWith("berth_rt_", Auths(kube.Secret(Namespace, SecretName)!).Single().Value!["identitytoken"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_SecretOfAnotherTypeExists_ExitsNonZeroWithoutWriting()
    {
        kube.Seed(Namespace, SecretName, new JsonObject { ["type"] = "Opaque", ["data"] = new JsonObject() });

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains("exists with type Opaque", run.Error, StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/namespaces/flux-system/secrets/berth-pull"], kube.Requests);
    }

    [Fact]
    public async Task RefreshPullSecret_NoRobotMatched_ExitsNonZeroWithReasonAndWritesNothing()
    {
        await File.WriteAllTextAsync(tokenFile, registry.KubernetesToken(c =>
        {
            c["sub"] = "system:serviceaccount:flux-system:source-controller";
            c["kubernetes.io"]!["namespace"] = "flux-system";
        }));

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains("token exchange refused (401): no_robot_matched: no robots matched your token", run.Error, StringComparison.Ordinal);
        Assert.Empty(kube.Requests);
    }

    [Fact]
    public async Task RefreshPullSecret_ExpiredServiceAccountToken_ExitsNonZeroWithReason()
    {
        await File.WriteAllTextAsync(tokenFile, registry.KubernetesToken(c => c["exp"] = c["iat"]!.GetValue<long>() + 60));
        registry.Time.Advance(TimeSpan.FromMinutes(10));

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains("token_expired", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_ApiServerForbids_ExitsNonZeroWithStatusAndReason()
    {
        kube.RefuseWith = 403;

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains("Kubernetes API refused Secret flux-system/berth-pull: 403", run.Error, StringComparison.Ordinal);
        Assert.Contains("reason Forbidden", run.Error, StringComparison.Ordinal);
        Assert.Contains("cannot get resource \"secrets\"", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("berth_rt_", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_TokenFileMissing_ExitsNonZeroNamingTheFile()
    {
        File.Delete(tokenFile);

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains($"token file {tokenFile} does not exist", run.Error, StringComparison.Ordinal);
        Assert.Empty(kube.Requests);
    }

    [Fact]
    public async Task RefreshPullSecret_TokenFileEmpty_ExitsNonZero()
    {
        await File.WriteAllTextAsync(tokenFile, " \n");

        var run = await RunAsync();

        Assert.Equal(1, run.Exit);
        Assert.Contains($"token file {tokenFile} is empty", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_RegistryUnreachable_ExitsNonZero()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var run = await RunAgainstAsync($"http://127.0.0.1:{port}");

        Assert.Equal(1, run.Exit);
        Assert.Contains($"registry http://127.0.0.1:{port} unreachable", run.Error, StringComparison.Ordinal);
        Assert.Empty(kube.Requests);
    }

    [Fact]
    public async Task RefreshPullSecret_ServiceGiven_ExchangesWithoutDiscovery()
    {
        var run = await RunAsync("--service", "berth");

        Assert.Equal(0, run.Exit);
        Assert.Equal("berth", kube.Secret(Namespace, SecretName)!["metadata"]!["annotations"]![PullSecretAnnotations.Service]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshPullSecret_OnceAndInterval_IsAUsageError()
    {
        var run = await RunAsync("--once", "--interval", "30m");

        Assert.Equal(2, run.Exit);
        Assert.Contains("not both", run.Error, StringComparison.Ordinal);
        Assert.Empty(kube.Requests);
    }

    [Fact]
    public async Task WrittenSecret_IdentityTokenInRefreshGrant_PullsManifestPushedBefore()
    {
        var push = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/web:pull,push");
        using (var pushed = await registry.PushImageAsync("library/app/web", "v1", FederatedRegistry.Bearer(push)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        Assert.Equal(0, (await RunAsync()).Exit);

        // Read the Secret as Flux (go-containerregistry) and skopeo (--authfile) do: the .dockerconfigjson as-is.
        var authFile = Path.Combine(folder, "auth.json");
        await File.WriteAllBytesAsync(authFile, DockerConfigBytes(kube.Secret(Namespace, SecretName)!));
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(authFile));
        var identityToken = config.RootElement.GetProperty("auths").GetProperty(RegistryKey).GetProperty("identitytoken").GetString()!;
        using var grant = await registry.Client.PostAsync("/service/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "containers/image",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = identityToken,
            ["service"] = "berth",
            ["scope"] = "repository:library/app/web:pull",
        }));
        var grantBody = await grant.Content.ReadAsStringAsync();
        Assert.True(grant.IsSuccessStatusCode, grantBody);
        var pullToken = JsonDocument.Parse(grantBody).RootElement.GetProperty("access_token").GetString()!;

        using var get = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/web/manifests/v1");
        get.Headers.Authorization = FederatedRegistry.Bearer(pullToken);
        get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var manifest = await registry.Client.SendAsync(get);

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Contains("\"schemaVersion\":2", await manifest.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrittenSecret_IdentityToken_GrantsOnlyTheRobotsPull()
    {
        Assert.Equal(0, (await RunAsync()).Exit);
        var identityToken = Auths(kube.Secret(Namespace, SecretName)!).Single().Value!["identitytoken"]!.GetValue<string>();

        using var grant = await registry.Client.PostAsync("/service/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = identityToken,
            ["service"] = "berth",
            ["scope"] = "repository:library/app/web:pull,push",
        }));
        var body = JsonDocument.Parse(await grant.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal("repository:library/app/web:pull", body.GetProperty("scope").GetString()); // cluster-pull may pull, never push
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] extra) => RunAgainstAsync(RegistryUrl, extra);

    private async Task<(int Exit, string Output, string Error)> RunAgainstAsync(string registryUrl, params string[] extra)
    {
        string[] arguments =
        [
            "kube", "refresh-pull-secret",
            "--registry", registryUrl,
            "--token-file", tokenFile,
            "--namespace", Namespace,
            "--secret", SecretName,
            "--kubeconfig", kubeconfig,
            .. extra,
        ];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { KubeCommand.Create() };
        var exit = await root.Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static byte[] DockerConfigBytes(JsonObject secret) =>
        Convert.FromBase64String(secret["data"]![".dockerconfigjson"]!.GetValue<string>());

    private static JsonObject Auths(JsonObject secret) =>
        JsonNode.Parse(DockerConfigBytes(secret))!["auths"]!.AsObject();
}
