using Berth.Federation.Tests.Support;
using Berth.Tests.Admin;
using Berth.Tests.Cli;

namespace Berth.Tests.Kube;

/// <summary><c>berth kube sync-jwks</c>, the real executable, against a running Berth on loopback.</summary>
public sealed class SyncJwksCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-syncjwks-" + Guid.NewGuid().ToString("N"));

    public SyncJwksCommandTests() => Directory.CreateDirectory(folder);

    [Fact]
    public async Task SyncJwks_RotatedKeySetWithJobToken_PrintsTheKidsBerthNowTrusts()
    {
        await using var admin = await KeySyncApiTests.StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        var (token, jwks) = await WriteAsync(KeySyncApiTests.SyncToken(registry, registry.KubernetesKey), TestKey.Jwks(registry.KubernetesKey, next));

        var (exit, output, error) = await BerthProcess.RunAsync(null, "kube", "sync-jwks", "--registry", registry.BaseAddress.ToString(), "--idp", "k3d", "--token-file", token, "--jwks-file", jwks);

        Assert.True(exit == 0, error);
        Assert.Equal("identity provider k3d now trusts keys k8s-1, k8s-2", output.Trim());
    }

    [Fact]
    public async Task SyncJwks_KeysReadThroughTheApiServer_AreSentToBerth()
    {
        await using var admin = await KeySyncApiTests.StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        await using var cluster = await FakeKubeApiServer.StartAsync();
        cluster.ServiceAccountJwks = TestKey.Jwks(registry.KubernetesKey, next);
        var kubeconfig = await cluster.WriteKubeconfigAsync(folder);
        var (token, _) = await WriteAsync(KeySyncApiTests.SyncToken(registry, registry.KubernetesKey), "{}");

        var (exit, output, error) = await BerthProcess.RunAsync(null, "kube", "sync-jwks", "--registry", registry.BaseAddress.ToString(), "--idp", "k3d", "--token-file", token, "--kubeconfig", kubeconfig);

        Assert.True(exit == 0, error);
        Assert.Equal("identity provider k3d now trusts keys k8s-1, k8s-2", output.Trim());
        Assert.Contains(cluster.Requests, r => r.Contains("/openid/v1/jwks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncJwks_TokenWithoutJwksSync_ExitsOneWithTheRegistrysReason()
    {
        await using var admin = await KeySyncApiTests.StartAsync();
        var registry = admin.Registry;
        var (token, jwks) = await WriteAsync(registry.KubernetesToken(KeySyncApiTests.ForKeySync), TestKey.Jwks(registry.KubernetesKey));

        var (exit, _, error) = await BerthProcess.RunAsync(null, "kube", "sync-jwks", "--registry", registry.BaseAddress.ToString(), "--idp", "k3d", "--token-file", token, "--jwks-file", jwks);

        Assert.Equal(1, exit);
        Assert.Contains("berth kube sync-jwks: registry refused the keys (403): no robot with the jwks-sync permission matched your token", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdpResetKeys_AfterSync_ConfiguredKeysApplyAgain()
    {
        await using var cli = await AdminCli.StartAsync(KeySyncApiTests.WithKeySyncRobot);
        var registry = cli.Admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        var (token, jwks) = await WriteAsync(KeySyncApiTests.SyncToken(registry, registry.KubernetesKey), TestKey.Jwks(registry.KubernetesKey, next));
        Assert.Equal(0, (await cli.RunAsync(null, "kube", "sync-jwks", "--registry", registry.BaseAddress.ToString(), "--idp", "k3d", "--token-file", token, "--jwks-file", jwks)).ExitCode);
        await cli.LoginAsync();

        var (exit, output, error) = await cli.RunAsync(null, "idp", "reset-keys", "k3d");
        var again = await cli.RunAsync(null, "idp", "reset-keys", "k3d");
        var shown = await cli.RunAsync(null, "idp", "show", "k3d", "--output", "json");

        Assert.True(exit == 0, error);
        Assert.Equal("identity provider k3d uses its configured keys again", output.Trim());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("identity provider 'k3d' has no synced keys", again.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("k8s-2", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncJwks_PlainHttpToARemoteHost_ExitsTwoBeforeSendingTheToken()
    {
        var (exit, _, error) = await BerthProcess.RunAsync(null, "kube", "sync-jwks", "--registry", "http://registry.example.com", "--idp", "k3d", "--token-file", Path.Combine(folder, "absent"));

        Assert.Equal(2, exit);
        Assert.Contains("--registry must be an https URL such as https://registry.example.com (plain http only to a loopback address)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncJwks_MissingTokenFile_ExitsOneSayingWhatToMount()
    {
        var (exit, _, error) = await BerthProcess.RunAsync(null, "kube", "sync-jwks", "--registry", "http://127.0.0.1:9", "--idp", "k3d", "--token-file", Path.Combine(folder, "absent"));

        Assert.Equal(1, exit);
        Assert.Contains("mount a projected service-account token there", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task<(string Token, string Jwks)> WriteAsync(string token, string jwks)
    {
        var (tokenFile, jwksFile) = (Path.Combine(folder, "token"), Path.Combine(folder, "jwks.json"));
        await File.WriteAllTextAsync(tokenFile, token);
        await File.WriteAllTextAsync(jwksFile, jwks);
        return (tokenFile, jwksFile);
    }
}
