using System.Text.Json.Nodes;
using Berth.Interop.Tests.Federated;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Tls;

/// <summary>
/// skopeo, podman and buildah against Berth serving TLS itself, with <c>--tls-verify=true</c> and a
/// <c>--cert-dir</c> that holds only the test root: the chain Berth sends (with its intermediate) must verify,
/// a rotated certificate must be picked up without breaking a pull, and a bad certificate must be refused.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class TlsClientTests(TlsFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task Skopeo_TlsVerify_PushesAndPullsWithCertDirHoldingTheRoot()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"docker://{Server.HostPort}/library/app/tls-skopeo:v1";
        var layout = await Images.BuildLayoutAsync(clients, "tls-skopeo", layers: 2);
        var digestFile = clients.PathOf("digest");

        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--dest-tls-verify=true", "--dest-cert-dir", fixture.CertDir,
            "--dest-creds", $"{FederatedClients.AnyUser}:{fixture.GitHubToken()}", "--digestfile", digestFile, layout, reference);
        var pulled = clients.PathOf("pulled");
        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--src-tls-verify=true", "--src-cert-dir", fixture.CertDir,
            "--src-creds", $"{FederatedClients.AnyUser}:{fixture.KubernetesToken()}", "--preserve-digests", reference, $"oci:{pulled}:v1");

        Assert.Equal(File.ReadAllText(digestFile).Trim(), Digest(pulled));
    }

    [Fact]
    public async Task Skopeo_WithoutTheRoot_RefusesTheCertificate()
    {
        await using var clients = ClientSandbox.Create(Server);

        var inspect = await clients.TrySkopeoAsync(
            "inspect", "--tls-verify=true", "--creds", $"{FederatedClients.AnyUser}:{fixture.KubernetesToken()}", $"docker://{Server.HostPort}/library/app/anything:v1");

        Assert.False(inspect.Succeeded, inspect.Describe("trusted a certificate of an unknown CA"));
        Assert.Contains("x509: certificate signed by unknown authority", inspect.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodmanAndBuildah_TlsVerify_LoginPushAndPull()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"{Server.HostPort}/library/app/tls-podman:v1";
        var image = await Images.BuildAsync(clients, "localhost/tls-podman:1", layers: 1);

        await clients.BuildahAsync(
            "push", "--tls-verify=true", "--cert-dir", fixture.CertDir, "--creds", $"{FederatedClients.AnyUser}:{fixture.GitHubToken()}", image, $"docker://{reference}");
        await clients.PodmanWithInputAsync(fixture.KubernetesToken(), "login", "--tls-verify=true", "--cert-dir", fixture.CertDir, "--username", FederatedClients.AnyUser, "--password-stdin", Server.HostPort);
        await clients.PodmanAsync("pull", "--tls-verify=true", "--cert-dir", fixture.CertDir, reference);

        var images = await clients.PodmanAsync("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Contains(reference, images.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skopeo_CertificateReplacedDuringPull_PullCompletesAndNextConnectionGetsTheNewCertificate()
    {
        await using var clients = ClientSandbox.Create(Server);
        var reference = $"docker://{Server.HostPort}/library/app/tls-rotate:v1";
        var layout = await Images.BuildLayoutAsync(clients, "tls-rotate", layers: 3);
        var pushed = await PushAsync(clients, layout, reference);
        var renewed = fixture.Pki.Issue("renewed", rsa: true);
        try
        {
            var pulled = clients.PathOf("pulled");
            var jti = "tls-rotate-" + Guid.NewGuid().ToString("N");
            var pull = clients.SkopeoAsync(
                "copy", "--insecure-policy", "--src-tls-verify=true", "--src-cert-dir", fixture.CertDir,
                "--src-creds", $"{FederatedClients.AnyUser}:{fixture.KubernetesToken(jti)}", "--preserve-digests", reference, $"oci:{pulled}:v1");

            // Once the pull has exchanged its token (it is talking to the registry over TLS, manifest and
            // blobs still to fetch), renew the certificate.
            await UntilAsync(() => Server.Output.Contains(jti, StringComparison.Ordinal));
            fixture.Serve(renewed);
            await pull;

            Assert.Equal(pushed, Digest(pulled));
            Assert.Equal(renewed.Thumbprint, await fixture.PresentedThumbprintAsync());
            var inspect = await clients.SkopeoAsync(
                "inspect", "--tls-verify=true", "--cert-dir", fixture.CertDir, "--creds", $"{FederatedClients.AnyUser}:{fixture.KubernetesToken()}", reference);
            Assert.Equal(pushed, (string?)JsonNode.Parse(inspect.StandardOutput)!["Digest"]);
        }
        finally
        {
            fixture.ServeGood();
        }
    }

    [Theory]
    [InlineData(true, null, "x509: certificate has expired or is not yet valid")]
    [InlineData(false, "registry.example.com", "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs")]
    public async Task Skopeo_ExpiredOrOtherNameCertificate_Refused(bool expired, string? dnsName, string refusal)
    {
        await using var clients = ClientSandbox.Create(Server);
        var bad = fixture.Pki.Issue(expired ? "expired" : "other-name", dnsName: dnsName, expired: expired);
        try
        {
            fixture.Serve(bad);
            await UntilAsync(async () => await fixture.PresentedThumbprintAsync() == bad.Thumbprint);

            var inspect = await clients.TrySkopeoAsync(
                "inspect", "--tls-verify=true", "--cert-dir", fixture.CertDir, "--creds", $"{FederatedClients.AnyUser}:{fixture.KubernetesToken()}",
                $"docker://{Server.HostPort}/library/app/anything:v1");

            Assert.False(inspect.Succeeded, inspect.Describe("accepted a bad certificate"));
            Assert.Contains(refusal, inspect.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            fixture.ServeGood();
        }
    }

    private async Task<string> PushAsync(ClientSandbox clients, string layout, string reference)
    {
        var digestFile = clients.PathOf($"digest-{Guid.NewGuid():N}");
        await clients.SkopeoAsync(
            "copy", "--insecure-policy", "--dest-tls-verify=true", "--dest-cert-dir", fixture.CertDir,
            "--dest-creds", $"{FederatedClients.AnyUser}:{fixture.GitHubToken()}", "--digestfile", digestFile, layout, reference);
        return File.ReadAllText(digestFile).Trim();
    }

    private static string Digest(string layout) =>
        (string)JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]![0]!["digest"]!;

    private static Task UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    /// <summary>Polls a condition for at most 30 s.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
