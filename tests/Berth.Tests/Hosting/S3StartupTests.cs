using System.Net;
using System.Net.Sockets;
using Berth.Tests.Cli;

namespace Berth.Tests.Hosting;

/// <summary><c>berth serve</c> with blobs in S3: what start-up says when the bucket cannot be used.</summary>
public sealed class S3StartupTests : IDisposable
{
    private const string Secret = "not-a-real-secret-0123456789abcdefEXAMPLE";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-startup-" + Guid.NewGuid().ToString("N"));

    public S3StartupTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Serve_UnreachableBucket_EndsWithOneLineNamingEndpointAndBucket()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";

        var (exit, output, error) = await BerthProcess.RunWithEnvironmentAsync(
            Environment(endpoint), null, "serve", "--listen", "127.0.0.1:0", "--data", Path.Combine(folder, "data"));

        Assert.NotEqual(0, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("berth: cannot use the blob store s3 bucket 'registry'", line, StringComparison.Ordinal);
        Assert.Contains(endpoint, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_S3Settings_AreAcceptedWithoutContactingTheBucket()
    {
        var (exit, output, error) = await BerthProcess.RunWithEnvironmentAsync(
            Environment($"http://127.0.0.1:{ClosedPort()}"), null, "serve", "--data", Path.Combine(folder, "data"), "--check-config");

        Assert.True(exit == 0, error);
        Assert.Contains("configuration ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_SecretWithoutAccessKey_IsRefusedWithoutEchoingIt()
    {
        var environment = new Dictionary<string, string>(Environment("http://127.0.0.1:9000"));
        environment.Remove("BERTH_STORAGE__S3__ACCESSKEYID");

        var (exit, output, error) = await BerthProcess.RunWithEnvironmentAsync(environment, null, "serve", "--data", Path.Combine(folder, "data"), "--check-config");

        Assert.NotEqual(0, exit);
        Assert.Contains("storage.s3.accessKeyId and storage.s3.secretAccessKey go together", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error + output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(string endpoint) => new()
    {
        ["BERTH_STORAGE__BLOBS"] = "s3",
        ["BERTH_STORAGE__S3__BUCKET"] = "registry",
        ["BERTH_STORAGE__S3__ENDPOINT"] = endpoint,
        ["BERTH_STORAGE__S3__FORCEPATHSTYLE"] = "true",
        ["BERTH_STORAGE__S3__ACCESSKEYID"] = "AKIAEXAMPLE",
        ["BERTH_STORAGE__S3__SECRETACCESSKEY"] = Secret,
    };

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
