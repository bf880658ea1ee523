using System.Text.Json.Nodes;
using Berth.Tests.Auth;
using Berth.Tests.Cli;
using Berth.Tests.Hosting;

namespace Berth.Tests.Kube;

/// <summary>
/// <c>berth kube refresh-pull-secret</c> against a Berth that serves TLS itself (<c>server.tls</c>): the pod
/// trusts the registry's CA through <c>SSL_CERT_FILE</c>, as a mounted CA bundle does, and refuses a registry
/// whose certificate it cannot verify before sending the service-account token.
/// </summary>
public sealed class RefreshPullSecretOverTlsTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-kube-tls-" + Guid.NewGuid().ToString("N"));
    private TestPki pki = null!;
    private FederatedRegistry registry = null!;
    private FakeKubeApiServer kube = null!;
    private string kubeconfig = null!;
    private string tokenFile = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        pki = TestPki.Create(Path.Combine(folder, "pki"));
        var files = pki.Issue("registry");
        registry = await FederatedRegistry.StartAsync(config => $"server:\n  tls:\n    certificateFile: {files.CertificateFile}\n    keyFile: {files.KeyFile}\n{config}");
        kube = await FakeKubeApiServer.StartAsync();
        kubeconfig = await kube.WriteKubeconfigAsync(folder);
        tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, registry.KubernetesToken() + "\n");
    }

    public async Task DisposeAsync()
    {
        await kube.DisposeAsync();
        await registry.DisposeAsync();
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RefreshPullSecret_HttpsRegistryWithTrustedCa_WritesSecretForHttpsRegistry()
    {
        Assert.Equal("https", registry.BaseAddress.Scheme);

        var run = await RunAsync(new Dictionary<string, string> { ["SSL_CERT_FILE"] = pki.CaFile });

        Assert.True(run.ExitCode == 0, run.Error);
        var secret = kube.Secret("flux-system", "berth-pull")!;
        var config = JsonNode.Parse(Convert.FromBase64String(secret["data"]![".dockerconfigjson"]!.GetValue<string>()))!;
        var entry = config["auths"]![registry.BaseAddress.Authority]!;
        Assert.StartsWith("berth_rt_", entry["identitytoken"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshPullSecret_HttpsRegistryWithUnknownCa_ExitsNonZeroWithoutWriting()
    {
        using var otherPki = TestPki.Create(Path.Combine(folder, "other-pki"), "someone else");

        var run = await RunAsync(new Dictionary<string, string> { ["SSL_CERT_FILE"] = otherPki.CaFile });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unreachable", run.Error, StringComparison.Ordinal);
        Assert.Contains("SSL", run.Error, StringComparison.Ordinal);
        Assert.Empty(kube.Requests);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment) =>
        BerthProcess.RunWithEnvironmentAsync(
            environment,
            null,
            "kube", "refresh-pull-secret",
            "--registry", registry.BaseAddress.ToString(),
            "--token-file", tokenFile,
            "--namespace", "flux-system",
            "--secret", "berth-pull",
            "--kubeconfig", kubeconfig,
            "--once");
}
