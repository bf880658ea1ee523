using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.CredentialProvider.Tests;
using Berth.CredentialProvider.Tests.Published;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Federated;

/// <summary>
/// The kubelet's path: the Native AOT-published <c>berth-credential-provider</c> gets a
/// CredentialProviderRequest carrying the pod's service-account token, byte for byte as the
/// kubelet encodes it; the username and password it answers are what containerd then sends to
/// Berth. skopeo pulls with them, and the token service's OAuth2 POST (containerd asks it
/// first) issues a registry token for them.
/// </summary>
[Collection(FederatedCollection.Name)]
public sealed class KubeletPluginTests(FederatedFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CredentialProvider_KubeletRequest_CredentialsPullPushedImageWithSkopeo(bool annotations)
    {
        await using var clients = ClientSandbox.Create(Server);
        var repository = $"library/app/kubelet-{(annotations ? "annotated" : "plain")}";
        var reference = $"{Server.HostPort}/{repository}:v1";
        var layout = await Images.BuildLayoutAsync(clients, "fed-kubelet", layers: 2);
        var pushed = await FederatedClients.PushAsync(clients, layout, $"docker://{reference}", fixture.GitHubToken());
        var token = fixture.KubernetesToken();

        var (username, password) = await RunPluginAsync(annotations
            ? KubeletRequests.WithTokenAndAnnotations(reference, token)
            : KubeletRequests.WithToken(reference, token));

        Assert.Equal("jwt", username);
        Assert.Equal(token, password);
        var inspected = (await FederatedClients.TryInspectAsync(clients, $"docker://{reference}", username, password)).EnsureSuccess();
        Assert.Equal(pushed, (string?)JsonNode.Parse(inspected.StandardOutput)!["Digest"]);
        var pulled = clients.PathOf("pulled");
        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--src-tls-verify=false", "--src-creds", $"{username}:{password}",
            "--preserve-digests", $"docker://{reference}", $"oci:{pulled}:v1");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(pulled, "index.json")))!;
        Assert.Equal(pushed, (string?)index["manifests"]![0]!["digest"]);
    }

    [Fact]
    public async Task TokenPost_PluginCredentialsAsContainerdSendsThem_RegistryTokenReadsManifest()
    {
        await using var clients = ClientSandbox.Create(Server);
        const string repository = "library/app/kubelet-containerd";
        var reference = $"{Server.HostPort}/{repository}:v1";
        var layout = await Images.BuildLayoutAsync(clients, "fed-containerd", layers: 1);
        var pushed = await FederatedClients.PushAsync(clients, layout, $"docker://{reference}", fixture.GitHubToken());
        var (username, password) = await RunPluginAsync(KubeletRequests.WithToken(reference, fixture.KubernetesToken()));
        using var http = new RegistryHttp(Server.BaseAddress);
        var (realm, service) = await ChallengeAsync(http.Client);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["service"] = service,
            ["scope"] = $"repository:{repository}:pull",
            ["client_id"] = "containerd-client",
        });
        using var issued = await http.Client.PostAsync(realm, form);
        await RegistryHttp.ExpectAsync(issued, HttpStatusCode.OK);
        var body = JsonNode.Parse(await issued.Content.ReadAsStringAsync())!;
        var accessToken = (string?)body["access_token"] ?? throw new InvalidOperationException("no access_token in " + body.ToJsonString());
        Assert.True((int)body["expires_in"]! >= 60, body.ToJsonString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/v1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciManifest));
        using var manifest = await http.Client.SendAsync(request);
        await RegistryHttp.ExpectAsync(manifest, HttpStatusCode.OK);
        Assert.Equal(pushed, RegistryHttp.Header(manifest, "Docker-Content-Digest"));
    }

    private static async Task<(string Username, string Password)> RunPluginAsync(string request)
    {
        var binary = await Task.Run(CredentialProviderBinary.GetPath);
        var run = await PluginProcess.RunAsync(binary, PluginProcess.Utf8(request));
        Assert.True(run.ExitCode == 0, $"plugin exited {run.ExitCode}: {run.Stderr}");
        using var response = JsonDocument.Parse(run.Stdout);
        var auth = Assert.Single(response.RootElement.GetProperty("auth").EnumerateObject().ToArray());
        return (auth.Value.GetProperty("username").GetString()!, auth.Value.GetProperty("password").GetString()!);
    }

    /// <summary>realm and service from the 401 challenge of <c>GET /v2/</c>, as every client reads them.</summary>
    private static async Task<(Uri Realm, string Service)> ChallengeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        var parameters = challenge.Parameter!.Split(',')
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim().Trim('"'));
        return (new Uri(parameters["realm"]), parameters["service"]);
    }
}
