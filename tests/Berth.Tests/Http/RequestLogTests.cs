using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Tests.Admin;
using Berth.Tests.Auth;
using Berth.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Http;

/// <summary>One log line per answered request: what was asked, how it ended, for whom, from where; never a token.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task RequestLog_TokenExchangeAndPush_OneLineEachWithRouteStatusAndRobotButNoToken()
    {
        var logs = new CapturingLoggerProvider();
        await using var registry = await FederatedRegistry.StartAsync(null, services => services.AddSingleton<ILoggerProvider>(logs));
        var workloadToken = registry.GitHubToken();

        var registryToken = await registry.TokenAsync(workloadToken, "repository:library/app/logged:pull,push");
        using var pushed = await registry.PushImageAsync("library/app/logged", "v1", FederatedRegistry.Bearer(registryToken));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var lines = await RequestLinesAsync(logs, l => l.StartsWith("PUT /v2/", StringComparison.Ordinal));
        var token = Assert.Single(lines, l => l.StartsWith("GET /service/token ", StringComparison.Ordinal));
        Assert.Contains(" 200 ", token, StringComparison.Ordinal);
        Assert.Contains("actor robot:ci-push", token, StringComparison.Ordinal);
        Assert.Contains("client 127.0.0.1", token, StringComparison.Ordinal);
        var manifest = Assert.Single(lines, l => l.StartsWith("PUT /v2/{name}/manifests/{reference} 201 ", StringComparison.Ordinal));
        Assert.Contains("actor robot:ci-push", manifest, StringComparison.Ordinal);
        Assert.Contains("path /v2/library/app/logged/manifests/v1", manifest, StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.StartsWith("POST /v2/{name}/blobs/uploads/ 201 ", StringComparison.Ordinal)));

        // Neither token, nor any part of one, nor the Basic credentials that carried the workload token.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("not-relevant:" + workloadToken));
        foreach (var secret in workloadToken.Split('.').Concat(registryToken.Split('.')).Append(basic))
        {
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RequestLog_ManifestPull_CountsResponseBytesAndCarriesIncomingTraceId()
    {
        var logs = new CapturingLoggerProvider();
        await using var registry = await FederatedRegistry.StartAsync(null, services => services.AddSingleton<ILoggerProvider>(logs));
        var token = await registry.TokenAsync(registry.GitHubToken(), "repository:library/app/sized:pull,push");
        using (var pushed = await registry.PushImageAsync("library/app/sized", "v1", FederatedRegistry.Bearer(token)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/app/sized/manifests/v1");
        request.Headers.Authorization = FederatedRegistry.Bearer(token);
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        using var response = await registry.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(await RequestLinesAsync(logs, l => l.StartsWith("GET /v2/{name}/manifests/{reference} 200 ", StringComparison.Ordinal)), l => l.StartsWith("GET /v2/{name}/manifests/", StringComparison.Ordinal));
        Assert.Contains($" 200 {body.Length} bytes ", line, StringComparison.Ordinal);
        Assert.Contains($"trace {TraceId}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLog_ThroughTrustedProxy_NamesTheForwardedClient()
    {
        var logs = new CapturingLoggerProvider();
        await using var registry = await FederatedRegistry.StartAsync(
            config => "server:\n  trustedProxies: [127.0.0.1/32]\n" + config,
            services => services.AddSingleton<ILoggerProvider>(logs));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");

        using var response = await registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(await RequestLinesAsync(logs, l => l.StartsWith("GET /v2/ 401 ", StringComparison.Ordinal)), l => l.StartsWith("GET /v2/ ", StringComparison.Ordinal));
        Assert.Contains("client 203.0.113.7", line, StringComparison.Ordinal);
        Assert.Contains("actor -", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLog_JsonFormat_OneJsonObjectPerRequestWithEachField()
    {
        var data = Path.Combine(Path.GetTempPath(), "berth-reqlog-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var server = await ServeProcess.StartAsync(data, new Dictionary<string, string> { ["BERTH_SERVER__LOGFORMAT"] = "json" }))
            {
                using var response = await server.Client.GetAsync("/v2/_catalog");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);

                var state = await RequestStateAsync(server, "/v2/_catalog");

                Assert.Equal("GET", state.GetProperty("Method").GetString());
                Assert.Equal(200, state.GetProperty("Status").GetInt32());
                Assert.Equal(response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync()).Length, state.GetProperty("Bytes").GetInt64());
                Assert.Equal("127.0.0.1", state.GetProperty("ClientIp").GetString());
                Assert.Equal(32, state.GetProperty("TraceId").GetString()!.Length);
                Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>The request lines so far, once one matches <paramref name="until"/>: a line is written after its response is sent.</summary>
    private static async Task<List<string>> RequestLinesAsync(CapturingLoggerProvider logs, Func<string, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var lines = logs.Messages.Where(m => m.Contains(" ms client ", StringComparison.Ordinal)).ToList();
            if (lines.Any(until) || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The <c>State</c> of the JSON log line of the request to <paramref name="route"/>; the line is written once the response is sent.</summary>
    private static async Task<JsonElement> RequestStateAsync(ServeProcess server, string route)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            foreach (var line in server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!line.StartsWith('{'))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.GetProperty("Category").GetString() == "Berth.Requests" && root.GetProperty("State").GetProperty("Route").GetString() == route)
                {
                    return root.GetProperty("State").Clone();
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "no JSON request log line for " + route + " in:\n" + server.Output);
            await Task.Delay(50);
        }
    }
}
