using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Access.Audit;
using Berth.Configuration;
using Berth.Federation.Tests.Support;
using Berth.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Auth;

/// <summary>
/// A real Berth on a loopback port configured with the seed document's identity providers (keys
/// pasted as static JWKS), a public and a private project and federated and classic robots. Time is
/// a <see cref="FakeTimeProvider"/> so token expiry is tested without waiting.
/// </summary>
internal sealed class FederatedRegistry : IAsyncDisposable
{
    public const string Audience = SeedClaims.Audience;
    public const string ClassicSecret = "berth_rs_test-secret-for-the-legacy-robot";

    private readonly string folder;
    private WebApplication? app;
    private Action<IServiceCollection>? extraServices;

    private FederatedRegistry(string folder)
    {
        this.folder = folder;
    }

    public TestKey GitHubKey { get; } = TestKey.Rsa("gh-1");

    public TestKey KubernetesKey { get; } = TestKey.Ec("k8s-1");

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public HttpClient Client { get; private set; } = null!;

    public string ConfigPath => Path.Combine(folder, "berth.yaml");

    /// <summary>The running server's services (stores, federation state).</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<FederatedRegistry> StartAsync(Func<string, string>? editConfig = null) =>
        await StartAsync(editConfig, null);

    /// <param name="services">Replaces services after Berth's own (e.g. the admin bootstrap password, a log capture).</param>
    public static async Task<FederatedRegistry> StartAsync(Func<string, string>? editConfig, Action<IServiceCollection>? services)
    {
        var folder = Path.Combine(Path.GetTempPath(), "berth-fed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var registry = new FederatedRegistry(folder) { extraServices = services };
        var yaml = registry.Config();
        await File.WriteAllTextAsync(registry.ConfigPath, editConfig is null ? yaml : editConfig(yaml));
        await registry.RestartAsync();
        return registry;
    }

    /// <summary>Stops the server and starts it again on the same data folder with the (possibly edited) config file.</summary>
    public async Task RestartAsync()
    {
        if (app is not null)
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }

        (app, Client) = await StartServerAsync();
    }

    /// <summary>
    /// Another Berth on the same configuration file, data folder and clock, as a second replica behind a
    /// load balancer would be; the caller disposes it.
    /// </summary>
    public Task<(WebApplication App, HttpClient Client)> StartReplicaAsync() => StartServerAsync();

    private async Task<(WebApplication App, HttpClient Client)> StartServerAsync()
    {
        var settings = ConfigurationLoader.Load(ConfigPath, new Dictionary<string, string?>
        {
            ["server:listen"] = "127.0.0.1:0",
            ["storage:dataDir"] = Path.Combine(folder, "data"),
        });
        var server = BerthApp.Build(settings, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            extraServices?.Invoke(services);
        });
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (server, new HttpClient { BaseAddress = new Uri(address) });
    }

    public string GitHubToken(Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.GitHubAt(Time.GetUtcNow());
        edit?.Invoke(claims);
        return GitHubKey.Sign(claims.ToJsonString());
    }

    public string KubernetesToken(Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.KubernetesAt(Time.GetUtcNow());
        edit?.Invoke(claims);
        return KubernetesKey.Sign(claims.ToJsonString());
    }

    /// <summary>GET /service/token as docker and skopeo do: Basic auth, account, repeated scopes.</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(string? password, string username = "not-relevant", bool offline = false, params string[] scopes)
    {
        var query = new StringBuilder("/service/token?service=berth");
        if (password is not null)
        {
            query.Append("&account=").Append(Uri.EscapeDataString(username));
        }

        foreach (var scope in scopes)
        {
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        }

        if (offline)
        {
            query.Append("&offline_token=true&client_id=docker");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, query.ToString());
        if (password is not null)
        {
            request.Headers.Authorization = Basic(username, password);
        }

        return Client.SendAsync(request);
    }

    /// <summary>A registry token for the scopes, or the test fails with the refusal.</summary>
    public async Task<string> TokenAsync(string password, params string[] scopes)
    {
        using var response = await RequestTokenAsync(password, scopes: scopes);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>Audit entries once the background writer has caught up (bounded wait).</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(Func<AuditEntry, bool> until)
    {
        var log = app!.Services.GetRequiredService<IAuditLog>();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var entries = await log.QueryAsync(new AuditQuery(Limit: 1000), CancellationToken.None);
            if (entries.Any(until))
            {
                return entries;
            }

            await Task.Delay(25);
        }

        return await log.QueryAsync(new AuditQuery(Limit: 1000), CancellationToken.None);
    }

    /// <summary>Pushes a one-layer image with the given Authorization and returns the manifest PUT status.</summary>
    public async Task<HttpResponseMessage> PushImageAsync(string repository, string tag, AuthenticationHeaderValue? authorization)
    {
        var layer = Encoding.UTF8.GetBytes("layer of " + repository);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        foreach (var blob in new[] { layer, config })
        {
            var upload = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={Digest(blob)}") { Content = new ByteArrayContent(blob) };
            upload.Headers.Authorization = authorization;
            var uploaded = await Client.SendAsync(upload);
            if (!uploaded.IsSuccessStatusCode)
            {
                return uploaded;
            }

            uploaded.Dispose();
        }

        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Digest(layer)}}","size":{{layer.Length}}}]}""";
        var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}") { Content = new StringContent(manifest) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        put.Headers.Authorization = authorization;
        return await Client.SendAsync(put);
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        GitHubKey.Dispose();
        KubernetesKey.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private string Config() => $$"""
        identityProviders:
          - name: github
            issuer: {{SeedClaims.GitHubIssuer}}
            audiences: [{{Audience}}]
            jwks: '{{TestKey.Jwks(GitHubKey)}}'
          - name: k3d
            issuer: {{SeedClaims.KubernetesIssuer}}
            audiences: [{{Audience}}]
            jwks: '{{TestKey.Jwks(KubernetesKey)}}'
        projects:
          - name: library
          - name: public-images
            public: true
        robots:
          - name: ci-push
            identityProvider: github
            rules:
              - { claim: repository_owner_id, equals: "46576199" }
              - { claim: repository, equals: container-registry/federated-idp-examples }
              - { claim: ref, glob: "refs/heads/*" }
              - { claim: event_name, in: [push, workflow_dispatch] }
            permissions:
              - { project: library, repositories: "app/**", actions: [pull, push, delete] }
              - { project: library, repositories: "ci/${repository}", actions: [pull, push] }
          - name: cluster-pull
            identityProvider: k3d
            rules:
              - { claim: sub, glob: "system:serviceaccount:*:*" }
              - { claim: kubernetes.io.namespace, in: [default, build] }
            permissions:
              - { project: library, repositories: "**", actions: [pull] }
          - name: legacy-pull
            secretHash: "{{Berth.Access.Refresh.SecretHasher.Hash(ClassicSecret)}}"
            permissions:
              - { project: library, repositories: "**", actions: [pull] }
        """;
}
