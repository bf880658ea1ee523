using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>
/// Two Berth replicas on one metadata store and data folder: a change made through one replica's admin API
/// applies on the other within one <c>server.federationReloadInterval</c> (5 s on the shared fake clock).
/// </summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Replica_RobotCreatedThenDisabledElsewhere_ItsRegistryTokenStopsWorkingAfterOneInterval()
    {
        await using var admin = await AdminRegistry.StartAsync();
        var (replicaApp, replica) = await admin.Registry.StartReplicaAsync();
        await using var replicaServer = replicaApp;
        using var replicaClient = replica;
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", AdminRegistry.GitHubRobot("api-push"))).Status);

        await AfterReloadAsync(admin, replica, robot => robot.ValueKind == JsonValueKind.Object);
        var token = await RegistryTokenAsync(replica, admin.Registry.GitHubToken());
        Assert.Equal(HttpStatusCode.NotFound, await TagsStatusAsync(replica, token));

        Assert.Equal(HttpStatusCode.OK, (await admin.CallAsync(HttpMethod.Post, "/api/v1/robots/api-push/disable")).Status);
        await AfterReloadAsync(admin, replica, robot => robot.ValueKind == JsonValueKind.Object && !robot.GetProperty("enabled").GetBoolean());

        Assert.Equal(HttpStatusCode.Unauthorized, await TagsStatusAsync(replica, token));
    }

    [Fact]
    public async Task Replica_KeysSyncedThroughOtherReplica_AcceptsTheNewKeyAfterOneInterval()
    {
        await using var admin = await KeySyncApiTests.StartAsync();
        var registry = admin.Registry;
        var (replicaApp, replica) = await registry.StartReplicaAsync();
        await using var replicaServer = replicaApp;
        using var replicaClient = replica;
        using var next = TestKey.Ec("k8s-2");
        using var sync = new HttpRequestMessage(HttpMethod.Put, "/api/v1/identity-providers/k3d/jwks")
        {
            Content = new StringContent(TestKey.Jwks(registry.KubernetesKey, next)),
        };
        sync.Headers.Authorization = FederatedRegistry.Bearer(KeySyncApiTests.SyncToken(registry, registry.KubernetesKey));
        using (var synced = await registry.Client.SendAsync(sync))
        {
            Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        }

        var token = next.Sign(SeedClaims.KubernetesAt(registry.Time.GetUtcNow()).ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(replica, token));
        registry.Time.Advance(ReloadInterval);
        for (var attempt = 0; attempt < 200 && await LoginStatusAsync(replica, token) != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(replica, token));
    }

    private static async Task<HttpStatusCode> LoginStatusAsync(HttpClient replica, string jwt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/service/token?service=berth&scope=repository:library/app:pull");
        request.Headers.Authorization = FederatedRegistry.Basic("not-relevant", jwt);
        using var response = await replica.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Advances the shared clock by one interval, then waits (bounded) until the replica's view of api-push passes <paramref name="condition"/>.</summary>
    private static async Task AfterReloadAsync(AdminRegistry admin, HttpClient replica, Func<JsonElement, bool> condition)
    {
        admin.Registry.Time.Advance(ReloadInterval);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/robots/api-push");
            request.Headers.Authorization = FederatedRegistry.Bearer(admin.Token);
            using var response = await replica.SendAsync(request);
            var robot = response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default;
            if (condition(robot))
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("the replica did not apply the change after one reload interval");
    }

    /// <summary>A registry token from the replica, for the robot the login username pins.</summary>
    private static async Task<string> RegistryTokenAsync(HttpClient replica, string jwt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/service/token?service=berth&account=api-push&scope=repository:library/api/web:pull");
        request.Headers.Authorization = FederatedRegistry.Basic("api-push", jwt);
        using var response = await replica.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpStatusCode> TagsStatusAsync(HttpClient replica, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/library/api/web/tags/list");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await replica.SendAsync(request);
        return response.StatusCode;
    }
}
