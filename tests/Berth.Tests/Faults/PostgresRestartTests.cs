using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Auth.Admin;
using Berth.Configuration;
using Berth.Data.Tests.Postgres;
using Berth.Tests.Http.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Faults;

/// <summary>
/// PostgreSQL restarted (<c>pg_ctl stop -m fast</c>, then start) under a push-and-pull load, on a cluster
/// of this test's own: requests that need the database while it is gone answer 503 with a clear error and
/// <c>Retry-After</c> (never 500, never a hang), nothing stored is left half-done, and the same Berth
/// process serves pushes and pulls again once the database is back.
/// </summary>
[Trait("Category", PostgresTestDatabase.Category)]
public sealed class PostgresRestartTests
{
    private const string AdminPassword = "correct horse battery staple";
    private const int Workers = 6;

    /// <summary>No request may take longer; Npgsql's own bounds (connect 15 s, command 30 s) must not be what ends one.</summary>
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(20);

    /// <summary>Each phase (load going, outage seen, recovery seen) must be reached within this.</summary>
    private static readonly TimeSpan PhaseBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Load_PostgresRestarted_Answers503MeanwhileAndRecoversWithoutRestart()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var server = await RegistryServer.StartAsync(
            services => services.AddSingleton(new AdminBootstrapOptions(AdminPassword)),
            settings => settings with
            {
                Storage = settings.Storage with
                {
                    Metadata = StorageSettings.PostgresMetadata,
                    Postgres = new() { ConnectionString = postgres.ConnectionString },
                },
            });
        server.Client.Timeout = RequestBound;
        var adminToken = await AdminTokenAsync(server.Client);
        var load = new RegistryLoad(server.Client, Oci.Repository("pg-restart"));

        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(Workers, stop.Token);
        HttpResponseMessage? apiDuringOutage = null;
        try
        {
            Assert.True(await load.WaitForAsync(l => l.Succeeded >= 40, PhaseBound), "the load never got going");
            await postgres.StopServerAsync();
            Assert.True(await load.WaitForAsync(l => l.Unavailable >= 10, PhaseBound), "no request noticed that PostgreSQL was gone");
            apiDuringOutage = await GetWithTokenAsync(server.Client, "/api/v1/repositories", adminToken);
            await postgres.StartServerAsync();
            var before = load.Succeeded;
            Assert.True(await load.WaitForAsync(l => l.Succeeded >= before + 40, PhaseBound), "pushes and pulls did not recover after PostgreSQL came back");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var wrong = load.Answers.Where(a => a.StatusCode is not (200 or 201 or 202 or 503)).Take(5).ToList();
        Assert.True(wrong.Count == 0, "only 2xx or 503 may answer during a database restart:\n" + string.Join('\n', wrong));
        var slowest = load.Answers.MaxBy(a => a.Duration)!;
        Assert.True(slowest.Duration < RequestBound, $"a request hung: {slowest}");
        foreach (var unavailable in load.Answers.Where(a => a.StatusCode == 503))
        {
            AssertOciUnavailable(unavailable);
        }

        using (apiDuringOutage)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, apiDuringOutage!.StatusCode);
            Assert.NotNull(apiDuringOutage.Headers.RetryAfter?.Delta);
            Assert.Equal("application/json", apiDuringOutage.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await apiDuringOutage.Content.ReadAsStringAsync());
            Assert.Contains("metadata database", Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray()).GetString(), StringComparison.Ordinal);
        }

        await AssertConsistentAsync(server.Client, load);
    }

    private static void AssertOciUnavailable(RegistryLoad.Answer answer)
    {
        Assert.True(answer.RetryAfter is { TotalSeconds: > 0 }, $"503 without Retry-After: {answer}");
        if (answer.Method == HttpMethod.Head)
        {
            return;
        }

        Assert.Equal("application/json", answer.ContentType);
        using var body = JsonDocument.Parse(answer.Body);
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("metadata database", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every push that was acknowledged is pullable (tag, manifest, blobs), every listed tag resolves, and
    /// a fresh push works: nothing the outage interrupted left a tag without its manifest or a manifest
    /// without its blobs.
    /// </summary>
    private static async Task AssertConsistentAsync(HttpClient client, RegistryLoad load)
    {
        Assert.NotEmpty(load.Pushed);
        foreach (var image in load.Pushed)
        {
            using var manifest = await GetAsync(client, $"/v2/{image.Repository}/manifests/{image.Tag}");
            Assert.True(manifest.StatusCode == HttpStatusCode.OK, $"{image.Repository}:{image.Tag} was acknowledged but answers {manifest.StatusCode}");
            Assert.Equal(image.Manifest.ToString(), manifest.Header("Docker-Content-Digest"));
            foreach (var blob in image.Blobs)
            {
                using var pulled = await GetAsync(client, $"/v2/{image.Repository}/blobs/{blob}");
                Assert.True(pulled.StatusCode == HttpStatusCode.OK, $"{image.Repository}@{blob} of an acknowledged push answers {pulled.StatusCode}");
            }
        }

        for (var worker = 0; worker < Workers; worker++)
        {
            var repository = load.Repository(worker);
            using var list = await GetAsync(client, $"/v2/{repository}/tags/list");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var tags = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            foreach (var tag in tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!))
            {
                using var manifest = await GetAsync(client, $"/v2/{repository}/manifests/{tag}");
                Assert.True(manifest.StatusCode == HttpStatusCode.OK, $"tag {repository}:{tag} is listed but its manifest answers {manifest.StatusCode}");
            }
        }

        var fresh = Oci.Repository("pg-restart-after");
        await client.PushManifestAsync(fresh, "v1", await client.PushImageAsync(fresh), Berth.Registry.Content.MediaTypes.OciManifest);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Oci.Path(path));
        request.Headers.Accept.ParseAdd(Berth.Registry.Content.MediaTypes.OciManifest);
        return await client.SendAsync(request);
    }

    private static async Task<string> AdminTokenAsync(HttpClient client)
    {
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "fault-test" }) };
        login.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{AdminPassword}")));
        using var response = await client.SendAsync(login);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> GetWithTokenAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
