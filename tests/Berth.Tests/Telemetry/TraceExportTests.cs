using System.Net;
using Berth.Federation.Tests.Support;
using Berth.Tests.Hosting;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Telemetry;

/// <summary>With <c>telemetry.otlpEndpoint</c> set, request traces reach the collector's OTLP/HTTP <c>/v1/traces</c>.</summary>
public sealed class TraceExportTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("berth-traces-").FullName;
    private readonly LoopbackServer collector = new();

    public Task InitializeAsync()
    {
        collector.Serve("/v1/traces", "{}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await collector.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Request_WithOtlpEndpoint_ExportsItsTraceToTheCollector()
    {
        await using var server = await ServeProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>
        {
            ["BERTH_TELEMETRY__OTLPENDPOINT"] = collector.BaseUrl,
        });

        using (var ping = await server.Client.GetAsync(Oci.Path("/v2/")))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        // The exporter batches (every few seconds): wait for the POST, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (collector.Hits("/v1/traces") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(collector.Hits("/v1/traces") > 0, "no trace reached the collector\n" + server.Output);
    }

    [Fact]
    public async Task Request_WithoutOtlpEndpoint_ExportsNothing()
    {
        await using var server = await ServeProcess.StartAsync(Path.Combine(folder, "quiet"), new Dictionary<string, string>());
        using var ping = await server.Client.GetAsync(Oci.Path("/v2/"));

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(0, collector.Hits("/v1/traces"));
    }
}
