using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Berth.Configuration;
using Berth.Data.Tests.Postgres;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Hosting;

/// <summary>
/// Two Berth replicas on one PostgreSQL database and one (shared) data folder, as behind a load
/// balancer: what one is pushed, the other serves; a tag moved through one moves on the other once its
/// reference cache (1 s) lapses; an upload started on one completes on the other.
/// </summary>
[Trait("Category", PostgresTestDatabase.Category)]
public sealed class PostgresReplicaTests : IAsyncLifetime
{
    /// <summary>Comfortably above the reference cache's 1 s, for a slow shared CI machine.</summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-replicas-" + Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase? _database;
    private RegistryServer? _first;
    private RegistryServer? _second;

    private HttpClient First => _first!.Client;

    private HttpClient Second => _second!.Client;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        BerthSettings OnPostgres(BerthSettings settings) => settings with
        {
            Storage = new()
            {
                DataDir = _dataDir,
                Metadata = StorageSettings.PostgresMetadata,
                Postgres = new() { ConnectionString = _database.ConnectionString },
            },
        };

        // Started together, as replicas of one deployment are: the advisory lock lets one migrate.
        var servers = await Task.WhenAll(RegistryServer.StartAsync(configure: OnPostgres), RegistryServer.StartAsync(configure: OnPostgres));
        (_first, _second) = (servers[0], servers[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _first, _second })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Push_ThroughOneReplica_IsListedAndPulledThroughTheOther()
    {
        var repository = Oci.Repository("replicas");
        var manifest = await First.PushImageAsync(repository);
        var digest = await First.PushManifestAsync(repository, "v1", manifest, Berth.Registry.Content.MediaTypes.OciManifest);

        using var pulled = await Second.GetAsync(Oci.Path($"/v2/{repository}/manifests/v1"));
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(digest.ToString(), pulled.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync());
        Assert.Contains(repository, await ListAsync(Second, "/v2/_catalog", "repositories"));
        Assert.Equal(["v1"], await ListAsync(Second, $"/v2/{repository}/tags/list", "tags"));

        // The facts are in PostgreSQL, not in a SQLite file the two happen to share.
        Assert.Contains(repository, await _database!.QueryAsync("SELECT name FROM repositories"));
        Assert.False(File.Exists(Path.Combine(_dataDir, "metadata.db")));
    }

    [Fact]
    public async Task Tag_MovedThroughOneReplica_MovesOnTheOtherAfterItsReferenceCache()
    {
        var repository = Oci.Repository("replicas");
        var first = await First.PushManifestAsync(repository, "latest", await First.PushImageAsync(repository), Berth.Registry.Content.MediaTypes.OciManifest);
        Assert.Equal(first.ToString(), await HeadDigestAsync(First, repository, "latest"));

        var second = await Second.PushManifestAsync(repository, "latest", await Second.PushImageAsync(repository), Berth.Registry.Content.MediaTypes.OciManifest);

        var watch = Stopwatch.StartNew();
        while (await HeadDigestAsync(First, repository, "latest") != second.ToString())
        {
            Assert.True(watch.Elapsed < Propagation, $"the first replica still serves {first} for latest after {watch.Elapsed}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Upload_StartedOnOneReplica_CompletesOnTheOther()
    {
        var repository = Oci.Repository("replicas");
        var content = Oci.RandomBytes(300);
        var digest = Oci.DigestOf(content);
        var location = await First.StartUploadAsync(repository);

        using (var patch = await Second.PatchAsync(Oci.Path(location), Oci.Octets(content[..100], "bytes 0-99/300")))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using (var put = await First.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={digest}")), Oci.Octets(content[100..], "bytes 100-299/300")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var blob = await Second.GetAsync(Oci.Path($"/v2/{repository}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string?> HeadDigestAsync(HttpClient client, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, Oci.Path($"/v2/{repository}/manifests/{tag}"));
        request.Headers.Accept.ParseAdd(Berth.Registry.Content.MediaTypes.OciManifest);
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode ? response.Header("Docker-Content-Digest") : null;
    }

    private static async Task<List<string>> ListAsync(HttpClient client, string path, string property)
    {
        using var response = await client.GetAsync(Oci.Path(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
