using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Registry.Content;
using Berth.Tests.Hosting;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of a real <c>berth serve</c> process (its own process, so no other test's traffic counts):
/// push and pull, scrape, parse the Prometheus text and check each counter moved by exactly what was done.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string AdminPassword = "metrics-admin-password";
    private readonly string folder = Directory.CreateTempSubdirectory("berth-metrics-").FullName;
    private readonly int metricsPort = ServeProcess.FreePort();
    private ServeProcess server = null!;
    private HttpClient scraper = null!;

    public async Task InitializeAsync()
    {
        server = await ServeProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>
        {
            ["BERTH_SERVER__METRICSLISTEN"] = $"127.0.0.1:{metricsPort}",
            ["BERTH_ADMIN_PASSWORD"] = AdminPassword,
        });
        scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        scraper.Dispose();
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Scrape_AfterPushAndPull_CountersMovedByExactlyWhatWasDone()
    {
        var repository = Oci.Repository("metrics");
        var before = await ScrapeAsync();

        // Push: two blobs in one request each, one chunked upload, a manifest; pull all of it back.
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = Oci.RandomBytes(3000);
        var chunked = Oci.RandomBytes(1234);
        await server.Client.PushBlobAsync(repository, config);
        await server.Client.PushBlobAsync(repository, layer);
        var location = await server.Client.StartUploadAsync(repository);
        var openUpload = await server.Client.StartUploadAsync(repository);
        using (var put = await server.Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={Oci.DigestOf(chunked)}")), Oci.Octets(chunked)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"," +
            "\"config\":" + Oci.Descriptor("application/vnd.oci.image.config.v1+json", config) + "," +
            "\"layers\":[" + Oci.Descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "," + Oci.Descriptor("application/vnd.oci.image.layer.v1.tar", chunked) + "]}");
        await server.Client.PushManifestAsync(repository, "v1", manifest, MediaTypes.OciManifest);
        Assert.Equal(manifest, await server.Client.GetByteArrayAsync(Oci.Path($"/v2/{repository}/manifests/v1")));
        foreach (var blob in new[] { config, layer, chunked })
        {
            Assert.Equal(blob, await server.Client.GetByteArrayAsync(Oci.Path($"/v2/{repository}/blobs/{Oci.DigestOf(blob)}")));
        }

        using (var missing = await server.Client.GetAsync(Oci.Path($"/v2/{repository}/manifests/v2")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // ASP.NET Core records a request's duration once its response is done, which may be after the client read it.
        var (after, text) = await ScrapeUntilAsync(m => Delta(before, m, Requests, ("http_response_status_code", "404")) >= 1);

        Assert.Equal(config.Length + layer.Length + chunked.Length, Delta(before, after, "berth_registry_pushed_bytes_total", ("kind", "blob")));
        Assert.Equal(manifest.Length, Delta(before, after, "berth_registry_pushed_bytes_total", ("kind", "manifest")));
        Assert.Equal(config.Length + layer.Length + chunked.Length, Delta(before, after, "berth_registry_pulled_bytes_total", ("kind", "blob")));
        Assert.Equal(manifest.Length, Delta(before, after, "berth_registry_pulled_bytes_total", ("kind", "manifest")));
        Assert.Equal(1, Delta(before, after, "berth_registry_uploads_active")); // the one left open
        Assert.Equal(1, Delta(before, after, Requests, ("http_request_method", "PUT"), ("http_response_status_code", "201"), ("berth_registry_route", "/v2/{name}/manifests/{reference}")));
        Assert.Equal(3, Delta(before, after, Requests, ("http_request_method", "GET"), ("http_response_status_code", "200"), ("berth_registry_route", "/v2/{name}/blobs/{digest}")));
        Assert.Equal(1, Delta(before, after, Requests, ("http_request_method", "GET"), ("http_response_status_code", "404"), ("berth_registry_route", "/v2/{name}/manifests/{reference}")));
        Assert.Equal(2, Delta(before, after, Requests, ("http_request_method", "POST"), ("http_response_status_code", "202"), ("berth_registry_route", "/v2/{name}/blobs/uploads/")));
        Assert.True(Delta(before, after, "berth_metadata_operation_duration_seconds_count", ("provider", "sqlite")) > 0, text);
        Assert.Equal(0, after.Sum("berth_audit_dropped_total"));
        Assert.True(after.Has("berth_audit_queue_depth"), text);
        Assert.True(after.Has("http_server_request_duration_seconds_bucket"), text);

        // No label carries a repository name, a digest or a session id.
        Assert.DoesNotContain(repository, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Oci.DigestOf(layer).Hex, text, StringComparison.Ordinal);
        Assert.DoesNotContain(openUpload.Split('/').Last().Split('?')[0], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_AfterTokenRequests_CountsExchangesByOutcomeAndReasonWithoutCallerDetails()
    {
        var before = await ScrapeAsync();

        using (var anonymous = await server.Client.GetAsync(Oci.Path("/service/token?service=berth&scope=repository:metrics/app:pull")))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, Oci.Path("/service/token?service=berth&scope=repository:metrics/app:pull")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("someone:eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWNyZXQtc3ViamVjdCJ9.")));
            using var refused = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var (after, text) = await ScrapeTextAsync();

        Assert.Equal(1, Delta(before, after, "berth_token_exchanges_total", ("outcome", "accepted"), ("reason", "none"), ("identity_provider", "none")));
        var refusedSample = Assert.Single(after.Samples, s => s.Name == "berth_token_exchanges_total" && s.Labels["outcome"] == "refused");
        Assert.Equal(1, refusedSample.Value);
        Assert.Matches("^[a-z_]+$", refusedSample.Labels["reason"]);
        Assert.DoesNotContain("secret-subject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("someone", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_AfterAGarbageCollectionRun_CountsTheRun()
    {
        var before = await ScrapeAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, Oci.Path("/api/v1/gc")))
        {
            request.Headers.Authorization = AdminBasic();
            using var run = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }

        var after = await ScrapeAsync();

        Assert.Equal(1, Delta(before, after, "berth_gc_runs_total", ("dry_run", "false")));
        Assert.Equal(0, Delta(before, after, "berth_gc_freed_bytes_total"));
    }

    [Fact]
    public async Task MetricsListener_ServesOnlyMetrics_AndTheMainListenerDoesNotServeThem()
    {
        using (var registry = await scraper.GetAsync(Oci.Path("/v2/")))
        {
            Assert.Equal(HttpStatusCode.NotFound, registry.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, Oci.Path("/metrics")))
        {
            request.Headers.Authorization = AdminBasic();
            using var main = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, main.StatusCode);
        }

        using var metrics = await scraper.GetAsync(Oci.Path("/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private const string Requests = "http_server_request_duration_seconds_count";

    private static AuthenticationHeaderValue AdminBasic() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string Name, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private async Task<PrometheusText> ScrapeAsync() => (await ScrapeTextAsync()).Metrics;

    /// <summary>Scrapes until <paramref name="done"/> holds, for at most ten seconds, and returns the last scrape.</summary>
    private async Task<(PrometheusText Metrics, string Text)> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var scrape = await ScrapeTextAsync();
        while (!done(scrape.Metrics) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            scrape = await ScrapeTextAsync();
        }

        return scrape;
    }

    private async Task<(PrometheusText Metrics, string Text)> ScrapeTextAsync()
    {
        // The token service audits after answering; a scrape must see what the requests before it did.
        var text = await scraper.GetStringAsync(Oci.Path("/metrics"));
        return (PrometheusText.Parse(text), text);
    }
}
