using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.CredentialProvider.Tests;
using Berth.CredentialProvider.Tests.Published;
using Berth.Interop.Tests.Federated;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Tls;

/// <summary>
/// The kubelet's path to a Berth that serves TLS: the Native AOT plugin's <c>jwt:&lt;token&gt;</c> credentials
/// pull with skopeo verifying the chain, and containerd's OAuth2 POST to the https realm issues a token.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class KubeletPluginOverTlsTests(TlsFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task CredentialProvider_Credentials_PullOverVerifiedTls()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"{Server.HostPort}/library/app/tls-kubelet:v1";
        var layout = await Images.BuildLayoutAsync(clients, "tls-kubelet", layers: 1);
        var digestFile = clients.PathOf("digest");
        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--dest-tls-verify=true", "--dest-cert-dir", fixture.CertDir,
            "--dest-creds", $"{FederatedClients.AnyUser}:{fixture.GitHubToken()}", "--digestfile", digestFile, layout, $"docker://{reference}");

        var (username, password) = await RunPluginAsync(KubeletRequests.WithToken(reference, fixture.KubernetesToken()));
        var inspect = await clients.SkopeoAsync(
            "inspect", "--tls-verify=true", "--cert-dir", fixture.CertDir, "--creds", $"{username}:{password}", $"docker://{reference}");

        Assert.Equal("jwt", username);
        Assert.Equal(File.ReadAllText(digestFile).Trim(), (string?)JsonNode.Parse(inspect.StandardOutput)!["Digest"]);
    }

    [Fact]
    public async Task TokenPost_PluginCredentialsToHttpsRealm_IssuesToken()
    {
        var (username, password) = await RunPluginAsync(KubeletRequests.WithToken($"{Server.HostPort}/library/app/x:v1", fixture.KubernetesToken()));
        using var http = Server.CreateClient();
        using var challenge = await http.GetAsync("v2/");
        var realm = challenge.Headers.WwwAuthenticate.Single().Parameter!.Split(',')[0].Split('=', 2)[1].Trim('"');

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["service"] = "berth",
            ["scope"] = "repository:library/app/x:pull",
            ["client_id"] = "containerd-client",
        });
        using var issued = await http.PostAsync(realm, form);

        Assert.Equal($"https://{Server.HostPort}/service/token", realm);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.NotNull((string?)JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["access_token"]);
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
}
