using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Tests.Hosting;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Telemetry;

/// <summary>Without <c>server.metricsListen</c>, <c>/metrics</c> is on the main listener for administrators only.</summary>
public sealed class MainListenerMetricsTests : IAsyncLifetime
{
    private const string AdminPassword = "main-listener-admin-password";
    private readonly string folder = Directory.CreateTempSubdirectory("berth-metrics-main-").FullName;
    private ServeProcess server = null!;

    public async Task InitializeAsync() =>
        server = await ServeProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>
        {
            ["BERTH_ADMIN_PASSWORD"] = AdminPassword,
        });

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Metrics_WithoutCredentials_Answers401()
    {
        using var response = await server.Client.GetAsync(Oci.Path("/metrics"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("berth_audit_queue_depth", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AsAdministrator_ServesThePrometheusText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Oci.Path("/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(metrics.Has("berth_audit_queue_depth"));
    }
}
