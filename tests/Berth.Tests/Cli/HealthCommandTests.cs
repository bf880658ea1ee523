using System.Net;
using System.Net.Sockets;
using Berth.Federation.Tests.Support;
using Berth.Tests.Hosting;

namespace Berth.Tests.Cli;

/// <summary>
/// <c>berth health</c>, the container image's HEALTHCHECK (the ASP.NET base image has no curl): exit 0 only
/// when Berth's <c>/healthz</c> answers 200, exit 1 with the reason otherwise.
/// </summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-health-").FullName;

    [Fact]
    public async Task Health_ServingBerth_PrintsOkAndExitsZero()
    {
        await using var server = await ServeProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>());

        var (exit, output, error) = await BerthProcess.RunAsync(null, "health", "--url", $"http://127.0.0.1:{server.Port}/healthz");

        Assert.True(exit == 0, output + error);
        Assert.Equal("ok", output.Trim());
    }

    [Fact]
    public async Task Health_ServerStarting_SaysWhatItAnsweredAndExitsOne()
    {
        await using var starting = new LoopbackServer();
        starting.Serve("/healthz", "starting", status: 503);

        var (exit, _, error) = await BerthProcess.RunAsync(null, "health", "--url", $"{starting.BaseUrl}/healthz");

        Assert.Equal(1, exit);
        Assert.Contains("answered 503 starting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NothingListening_SaysCannotReachAndExitsOne()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}/healthz";
        closed.Stop();

        var (exit, _, error) = await BerthProcess.RunAsync(null, "health", "--url", url);

        Assert.Equal(1, exit);
        Assert.Contains($"berth health: cannot reach {url}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_UrlNotHttp_IsAUsageError()
    {
        var (exit, _, error) = await BerthProcess.RunAsync(null, "health", "--url", "file:///etc/passwd");

        Assert.Equal(2, exit);
        Assert.Contains("--url must be an absolute http:// or https:// URL", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
