using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>
/// Key sync (<c>PUT /api/v1/identity-providers/{name}/jwks</c>) across a rotation of the k3d cluster's
/// signing key: the cluster's own sync job, proved by its service-account token, carries Berth from the
/// old key to the new one; nobody else can replace the keys.
/// </summary>
public sealed class KeySyncApiTests
{
    private const string SyncSubject = "system:serviceaccount:kube-system:berth-key-sync";
    private const string JwksPath = "/api/v1/identity-providers/k3d/jwks";
    private const string KeySyncAudience = "berth-key-sync";

    [Fact]
    public async Task Sync_TokenWithTheLoginAudience_Returns401AudienceMismatch()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var attacker = TestKey.Ec("k8s-2");

        // A token the key-sync robot matches, but minted for logging in (as every pod can get one).
        var (status, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, attacker), SyncToken(registry, registry.KubernetesKey, c => c["aud"] = FederatedRegistry.Audience));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("audience_mismatch", body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, attacker)));
    }

    [Fact]
    public async Task Sync_SameTokenTwice_SecondIsRefusedAsReplayed()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        var token = SyncToken(registry, registry.KubernetesKey);
        Assert.Equal(HttpStatusCode.OK, (await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), token)).Status);

        var (status, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("token_replayed", body.GetRawText(), StringComparison.Ordinal);
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, next)));
    }

    [Fact]
    public async Task Sync_TokenLivingLongerThanTenMinutes_Returns401()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");

        var (status, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey, c => c["exp"] = c["iat"]!.GetValue<long>() + 3600));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("lifetime_too_long", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_RotationSentWithOldKeyToken_NewKeyTokenAcceptedThenOldKeyDropped()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, next)));

        var (published, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey));
        Assert.Equal(HttpStatusCode.OK, published);
        Assert.Equal(["k8s-1", "k8s-2"], body.GetProperty("kids").EnumerateArray().Select(k => k.GetString()));
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, next)));
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));

        // The cluster now signs with the new key and stops publishing the old one.
        var (retired, _) = await SyncAsync(registry, TestKey.Jwks(next), SyncToken(registry, next));
        Assert.Equal(HttpStatusCode.OK, retired);
        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, next)));

        var (shown, idp) = await admin.CallAsync(HttpMethod.Get, "/api/v1/identity-providers/k3d");
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.StartsWith("synced jwks", idp.GetProperty("keySource").GetString(), StringComparison.Ordinal);
        Assert.Equal(["k8s-2"], idp.GetProperty("keys").GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()));
        var audit = await registry.AuditAsync(e => e.Kind == "key-sync" && e.Reason == "identity provider k3d: keys k8s-2 (added none, removed k8s-1)");
        Assert.Equal(2, audit.Count(e => e.Kind == "key-sync"));
        Assert.Contains(audit, e => e.Reason == "identity provider k3d: keys k8s-1,k8s-2 (added k8s-2, removed none)");
        Assert.All(audit.Where(e => e.Kind == "key-sync"), e =>
        {
            Assert.Equal("accepted", e.Outcome);
            Assert.Equal(SyncSubject, e.Subject);
            Assert.Equal("key-sync", e.Robots);
        });
    }

    [Fact]
    public async Task Sync_SyncedKeys_SurviveRestartAndAdminRemovalRestoresConfiguredKeys()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        Assert.Equal(HttpStatusCode.OK, (await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey))).Status);

        await registry.RestartAsync();
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, next)));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.CallAsync(HttpMethod.Delete, JwksPath)).Status);
        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, next)));
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Delete, JwksPath)).Status);
    }

    [Fact]
    public async Task Sync_TokenOfAnotherIssuersJwksSyncRobot_Returns403AndKeysStay()
    {
        // github's own key-sync robot matches this token: it may sync github's keys, never k3d's.
        await using var admin = await AdminRegistry.StartAsync(yaml => WithKeySyncRobot(yaml) + """

              - name: github-key-sync
                identityProvider: github
                rules:
                  - { claim: repository_owner_id, equals: "46576199" }
                  - { claim: sub, equals: "repo:container-registry/federated-idp-examples:ref:refs/heads/main" }
                permissions:
                  - actions: [jwks-sync]
            """);
        var registry = admin.Registry;
        using var attacker = TestKey.Ec("k8s-2");

        var (status, body) = await SyncAsync(registry, TestKey.Jwks(attacker), registry.GitHubToken(ForKeySync));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("comes from identity provider 'github', not 'k3d'", Error(body), StringComparison.Ordinal);
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));
    }

    [Fact]
    public async Task Sync_TokenOfRobotWithoutJwksSync_Returns403()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var attacker = TestKey.Ec("k8s-2");

        // Matches cluster-pull (pull only), not key-sync.
        var (status, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, attacker), registry.KubernetesToken(ForKeySync));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("no robot with the jwks-sync permission matched your token", Error(body));
        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, attacker)));
    }

    [Fact]
    public async Task Sync_JwksSyncRobotDisabled_Returns403()
    {
        await using var admin = await AdminRegistry.StartAsync(yaml => WithKeySyncRobot(yaml) + "\n    enabled: false");
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");

        var (status, body) = await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("no robot with the jwks-sync permission matched your token", Error(body));
    }

    [Fact]
    public async Task Sync_ConfigFileMovesProviderToJwksUrl_SyncedKeysNoLongerApply()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var next = TestKey.Ec("k8s-2");
        Assert.Equal(HttpStatusCode.OK, (await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey))).Status);
        await using var cluster = new LoopbackServer();
        cluster.Serve("/jwks", TestKey.Jwks(registry.KubernetesKey));
        var yaml = await File.ReadAllTextAsync(registry.ConfigPath);
        var pasted = $"jwks: '{TestKey.Jwks(registry.KubernetesKey)}'";
        Assert.Contains(pasted, yaml, StringComparison.Ordinal);
        await File.WriteAllTextAsync(registry.ConfigPath, yaml.Replace(pasted, $"jwksUrl: {cluster.BaseUrl}/jwks\n    allowInsecureHttp: true", StringComparison.Ordinal));

        await registry.RestartAsync();

        Assert.Equal("unknown_key", await LoginReasonAsync(registry, WorkloadToken(registry, next)));
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));
        Assert.Equal(HttpStatusCode.Conflict, (await SyncAsync(registry, TestKey.Jwks(registry.KubernetesKey, next), SyncToken(registry, registry.KubernetesKey))).Status);
    }

    [Fact]
    public async Task Sync_NoTokenOrTokenOfUntrustedKey_Returns401WithReason()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var attacker = TestKey.Ec("k8s-1");
        var jwks = TestKey.Jwks(attacker);

        var (missing, missingBody) = await SyncAsync(registry, jwks, null);
        var (forged, forgedBody) = await SyncAsync(registry, jwks, SyncToken(registry, attacker));

        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal("missing_token", missingBody.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, forged);
        Assert.Equal("signature_invalid", forgedBody.GetProperty("reason").GetString());
        var refused = await registry.AuditAsync(e => e.Kind == "key-sync" && e.Reason!.Contains("signature_invalid", StringComparison.Ordinal));
        Assert.Equal(2, refused.Count(e => e.Kind == "key-sync"));
        Assert.All(refused.Where(e => e.Kind == "key-sync"), e => Assert.Equal("refused", e.Outcome));
    }

    [Fact]
    public async Task Sync_SetWithoutTheSigningKey_Returns400SoTheSenderIsNeverLockedOut()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        using var other = TestKey.Ec("k8s-2");

        var (status, body) = await SyncAsync(registry, TestKey.Jwks(other), SyncToken(registry, registry.KubernetesKey));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("the new JWKS does not accept the token that sent it", Error(body), StringComparison.Ordinal);
        Assert.Null(await LoginReasonAsync(registry, WorkloadToken(registry, registry.KubernetesKey)));
    }

    [Theory]
    [InlineData("not json", "the body is not a JWKS document")]
    [InlineData("{\"keys\": []}", "the JWKS has no RSA or EC signing key")]
    [InlineData("{\"keys\": [{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"AA\"}]}", "the JWKS holds private key material ('d')")]
    public async Task Sync_UnusableBody_Returns400WithTheProblem(string jwks, string problem)
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;

        var (status, body) = await SyncAsync(registry, jwks, SyncToken(registry, registry.KubernetesKey));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(problem, Error(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_BodyOver64KiB_Returns413()
    {
        await using var admin = await StartAsync();
        var registry = admin.Registry;
        var huge = "{\"keys\": [], \"pad\": \"" + new string('a', 70 * 1024) + "\"}";

        var (status, _) = await SyncAsync(registry, huge, SyncToken(registry, registry.KubernetesKey));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task Sync_ProviderWithJwksUrl_Returns409()
    {
        await using var admin = await StartAsync();
        await using var issuer = new LoopbackServer();
        using var key = TestKey.Rsa("remote-1");
        issuer.Serve("/jwks", TestKey.Jwks(key));
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/identity-providers", new
        {
            name = "remote",
            issuer = "https://oidc.example.test",
            audiences = new[] { FederatedRegistry.Audience },
            jwksUrl = issuer.BaseUrl + "/jwks",
            allowInsecureHttp = true,
        })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new
        {
            name = "remote-sync",
            identityProvider = "remote",
            rules = new[] { new { claim = "sub", equals = "sync" } },
            permissions = new[] { new { actions = new[] { "jwks-sync" } } },
        })).Status);
        var now = admin.Registry.Time.GetUtcNow().ToUnixTimeSeconds();
        var token = key.Sign($$"""{"iss":"https://oidc.example.test","aud":"{{KeySyncAudience}}","jti":"j1","sub":"sync","iat":{{now}},"exp":{{now + 600}}}""");

        var (status, body) = await SyncAsync(admin.Registry, TestKey.Jwks(key), token, "remote");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("key sync is for providers with a static JWKS", Error(body), StringComparison.Ordinal);
    }

    /// <summary>The federated registry plus robot key-sync (jwks-sync on k3d, for the sync job's service account).</summary>
    internal static Task<AdminRegistry> StartAsync() => AdminRegistry.StartAsync(WithKeySyncRobot);

    /// <summary>Adds robot key-sync to the federated registry's configuration file.</summary>
    internal static string WithKeySyncRobot(string yaml) => yaml + $$"""

          - name: key-sync
            identityProvider: k3d
            rules:
              - { claim: sub, equals: "{{SyncSubject}}" }
            permissions:
              - actions: [jwks-sync]
        """;

    /// <summary>A token of the sync job's service account, signed by <paramref name="key"/>, as the CronJob requests it.</summary>
    internal static string SyncToken(FederatedRegistry registry, TestKey key, Action<JsonObject>? edit = null)
    {
        var claims = SeedClaims.KubernetesAt(registry.Time.GetUtcNow());
        claims["sub"] = SyncSubject;
        claims["kubernetes.io"]!["namespace"] = "kube-system";
        ForKeySync(claims);
        edit?.Invoke(claims);
        return key.Sign(claims.ToJsonString());
    }

    /// <summary>Makes claims a key-sync token: key sync's audience, ten minutes of life, a fresh jti.</summary>
    internal static void ForKeySync(JsonObject claims)
    {
        claims["aud"] = KeySyncAudience;
        claims["exp"] = claims["iat"]!.GetValue<long>() + 600;
        claims["jti"] = Guid.NewGuid().ToString();
    }

    /// <summary>A pod's token that cluster-pull (pull only) matches.</summary>
    private static string WorkloadToken(FederatedRegistry registry, TestKey key) =>
        key.Sign(SeedClaims.KubernetesAt(registry.Time.GetUtcNow()).ToJsonString());

    /// <summary>Null when the login succeeds, else the refusal's reason code.</summary>
    private static async Task<string?> LoginReasonAsync(FederatedRegistry registry, string token)
    {
        using var response = await registry.RequestTokenAsync(token, scopes: "repository:library/app:pull");
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("error").GetString();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SyncAsync(FederatedRegistry registry, string jwks, string? token, string idp = "k3d")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/identity-providers/{idp}/jwks")
        {
            Content = new StringContent(jwks, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await registry.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Error(JsonElement body) => body.GetProperty("errors")[0].GetString()!;
}
