using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;

namespace Berth.Tests.Auth;

/// <summary>
/// Crafted credentials sent to the token service as a client would send them: every one is refused
/// with its reason code, leaves an audit entry, and none gets a token.
/// </summary>
public sealed class TokenAttackTests : IAsyncLifetime
{
    private static readonly TestKey Attacker = TestKey.Rsa("attacker-1");

    /// <summary>The corpus, also replayed through explain by <see cref="Admin.ExplainAgreementTests"/>.</summary>
    internal static readonly Dictionary<string, (string Reason, Func<FederatedRegistry, string> Make)> Attacks = new()
    {
        ["alg none"] = ("algorithm_not_allowed", r => Unsigned(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, GitHub(r))),
        ["alg None with signature"] = ("algorithm_not_allowed", r => Unsigned(new JsonObject { ["alg"] = "None" }, GitHub(r)) + "c2ln"),
        ["HS256 with the public key as secret"] = ("algorithm_not_allowed", r => Hmac(r.GitHubKey.PublicKeyDer(), GitHub(r))),
        ["signature stripped"] = ("signature_invalid", r => string.Join('.', r.GitHubToken().Split('.')[..2]) + "."),
        ["signature altered"] = ("signature_invalid", r => AlterSignature(r.GitHubToken())),
        ["payload altered after signing"] = ("signature_invalid", r => SwapPayload(r.GitHubToken(), Set(GitHub(r), "repository", "acme/other"))),
        ["unknown kid"] = ("unknown_key", r => Attacker.Sign(GitHub(r).ToJsonString())),
        ["attacker key with the provider's kid"] = ("signature_invalid", r => Attacker.Sign(GitHub(r).ToJsonString(), new JsonObject { ["kid"] = "gh-1" })),
        ["jku to attacker keys"] = ("unknown_key", r => Attacker.Sign(GitHub(r).ToJsonString(), new JsonObject { ["jku"] = "https://evil.example/jwks" })),
        ["x5u to attacker certificate"] = ("unknown_key", r => Attacker.Sign(GitHub(r).ToJsonString(), new JsonObject { ["x5u"] = "https://evil.example/cert" })),
        ["embedded jwk"] = ("unknown_key", r => Attacker.Sign(GitHub(r).ToJsonString(), new JsonObject { ["jwk"] = Attacker.PublicJwk() })),
        ["embedded jwk without kid"] = ("signature_invalid", r => Attacker.SignRaw(new JsonObject { ["alg"] = "RS256", ["jwk"] = Attacker.PublicJwk() }.ToJsonString(), GitHub(r).ToJsonString())),
        ["wrong aud"] = ("audience_mismatch", r => r.GitHubKey.Sign(Set(GitHub(r), "aud", "https://github.com/acme").ToJsonString())),
        ["missing aud"] = ("audience_mismatch", r => r.GitHubKey.Sign(Remove(GitHub(r), "aud").ToJsonString())),
        ["wrong iss"] = ("unknown_issuer", r => r.GitHubKey.Sign(Set(GitHub(r), "iss", "https://evil.example").ToJsonString())),
        ["missing iss"] = ("missing_claim", r => r.GitHubKey.Sign(Remove(GitHub(r), "iss").ToJsonString())),
        ["expired"] = ("token_expired", r => r.GitHubKey.Sign(Set(GitHub(r), "exp", Now(r) - 120).ToJsonString())),
        ["nbf in the future"] = ("token_not_yet_valid", r => r.GitHubKey.Sign(Set(GitHub(r), "nbf", Now(r) + 600).ToJsonString())),
        ["iat far in the future"] = ("token_not_yet_valid", r => r.GitHubKey.Sign(Set(Set(GitHub(r), "iat", Now(r) + 3000), "exp", Now(r) + 3600).ToJsonString())),
        ["missing exp"] = ("missing_claim", r => r.GitHubKey.Sign(Remove(GitHub(r), "exp").ToJsonString())),
        ["lifetime over the maximum"] = ("lifetime_too_long", r => r.GitHubKey.Sign(Set(GitHub(r), "exp", Now(r) + (25 * 3600)).ToJsonString())),
        ["oversize"] = ("token_too_large", r => r.GitHubKey.Sign(Set(GitHub(r), "padding", new string('x', 13 * 1024)).ToJsonString())),
        ["non-JSON header"] = ("malformed_token", r => TestKey.B64("not json") + "." + TestKey.B64(GitHub(r).ToJsonString()) + ".c2ln"),
        ["non-base64url segments"] = ("malformed_token", _ => "eyJ$.e+/=.abc"),
        ["two segments"] = ("malformed_token", r => string.Join('.', r.GitHubToken().Split('.')[..2])),
        ["four segments"] = ("malformed_token", r => r.GitHubToken() + ".c2ln"),
        ["crit header"] = ("malformed_token", r => r.GitHubKey.Sign(GitHub(r).ToJsonString(), new JsonObject { ["crit"] = new JsonArray("exp"), ["exp"] = 1 })),
        ["duplicate claim"] = ("malformed_token", r => r.GitHubKey.Sign(GitHub(r).ToJsonString().TrimEnd('}') + ""","repository":"acme/other"}""")),
        ["typ at+jwt"] = ("malformed_token", r => r.GitHubKey.Sign(GitHub(r).ToJsonString(), new JsonObject { ["typ"] = "at+jwt" })),
        ["GitHub's key presented with the cluster's issuer"] = ("unknown_key", r => r.GitHubKey.Sign(Set(GitHub(r), "iss", SeedClaims.KubernetesIssuer).ToJsonString())),
        ["cluster key without kid presented with GitHub's issuer"] = ("signature_invalid", r => r.KubernetesKey.SignRaw("""{"alg":"ES256"}""", Set(GitHub(r), "iss", SeedClaims.GitHubIssuer).ToJsonString())),
        ["a classic robot's wrong secret"] = ("invalid_credentials", _ => "berth_rs_not-the-secret"),
    };

    private FederatedRegistry registry = null!;

    public static TheoryData<string> AttackNames() => new(Attacks.Keys);

    public async Task InitializeAsync() => registry = await FederatedRegistry.StartAsync();

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task TokenService_CraftedCredential_IsRefusedWithReasonAndAudited(string attack)
    {
        var (reason, make) = Attacks[attack];
        var username = reason == "invalid_credentials" ? "legacy-pull" : "not-relevant";

        using var response = await registry.RequestTokenAsync(make(registry), username, scopes: "repository:library/app/web:pull,push");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains($"\"reason\":\"{reason}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"token\"", body, StringComparison.Ordinal);
        var audit = await registry.AuditAsync(e => e.Kind == "token");
        var entry = Assert.Single(audit, e => e.Kind == "token");
        Assert.Equal("refused", entry.Outcome);
        Assert.Equal(reason, entry.Reason!.Split(':')[0]);
    }

    [Fact]
    public void Suite_HasAtLeastThirtyAttacks() => Assert.True(Attacks.Count >= 30, $"{Attacks.Count} attacks");

    private static JsonObject GitHub(FederatedRegistry registry) => SeedClaims.GitHubAt(registry.Time.GetUtcNow());

    private static long Now(FederatedRegistry registry) => registry.Time.GetUtcNow().ToUnixTimeSeconds();

    private static JsonObject Set(JsonObject claims, string name, JsonNode? value)
    {
        claims[name] = value;
        return claims;
    }

    private static JsonObject Remove(JsonObject claims, string name)
    {
        claims.Remove(name);
        return claims;
    }

    private static string Unsigned(JsonObject header, JsonObject claims) =>
        TestKey.B64(header.ToJsonString()) + "." + TestKey.B64(claims.ToJsonString()) + ".";

    private static string Hmac(byte[] secret, JsonObject claims)
    {
        var input = TestKey.B64("""{"alg":"HS256","typ":"JWT","kid":"gh-1"}""") + "." + TestKey.B64(claims.ToJsonString());
        return input + "." + TestKey.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    private static string AlterSignature(string jwt)
    {
        var parts = jwt.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{parts[1]}.{new string(signature)}";
    }

    private static string SwapPayload(string jwt, JsonObject claims)
    {
        var parts = jwt.Split('.');
        return $"{parts[0]}.{TestKey.B64(claims.ToJsonString())}.{parts[2]}";
    }
}
