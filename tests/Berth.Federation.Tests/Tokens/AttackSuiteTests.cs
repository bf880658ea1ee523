using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Federation.Tests.Support;
using Berth.Federation.Tokens;

namespace Berth.Federation.Tests.Tokens;

/// <summary>
/// Crafted tokens that must all be refused, each with its reason code. Every case starts from a seed claim
/// set that is otherwise valid, so the one defect named is what gets the token refused.
/// </summary>
public sealed class AttackSuiteTests : IAsyncLifetime
{
    /// <summary>The corpus, also replayed through explain by <see cref="Explain.TokenExplainerTests"/>.</summary>
    internal static readonly Dictionary<string, (string Reason, Func<FederationHarness, string> Forge)> Attacks = new()
    {
        ["alg none, no signature"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Unsigned(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, h.GitHubClaims())),
        ["alg none, with a signature"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Unsigned(new JsonObject { ["alg"] = "none" }, h.GitHubClaims()) + "c2ln"),
        ["alg None (capitalised)"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Unsigned(new JsonObject { ["alg"] = "None" }, h.GitHubClaims())),
        ["alg rs256 (lower case)"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["alg"] = "rs256" })),
        ["HS256 signed with the public key (DER) as secret"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Hmac("HS256", h.GitHubKey.PublicKeyDer(), h.GitHubKey.Kid, h.GitHubClaims())),
        ["HS256 signed with the public JWK text as secret"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Hmac("HS256", Encoding.UTF8.GetBytes(h.GitHubKey.PublicJwk().ToJsonString()), h.GitHubKey.Kid, h.GitHubClaims())),
        ["HS512 without kid"] = (TokenRejectionReasons.AlgorithmNotAllowed, h => Hmac("HS512", h.GitHubKey.PublicKeyDer(), null, h.GitHubClaims())),
        ["alg missing"] = (TokenRejectionReasons.MalformedToken, h => Unsigned(new JsonObject { ["typ"] = "JWT" }, h.GitHubClaims()) + "c2ln"),
        ["signature stripped"] = (TokenRejectionReasons.SignatureInvalid, h => StripSignature(h.GitHubKey.Sign(h.GitHubClaims().ToJsonString()))),
        ["signature altered"] = (TokenRejectionReasons.SignatureInvalid, h => AlterSignature(h.GitHubKey.Sign(h.GitHubClaims().ToJsonString()))),
        ["payload altered after signing"] = (TokenRejectionReasons.SignatureInvalid, h => SwapPayload(h.GitHubKey.Sign(h.GitHubClaims().ToJsonString()), Set(h.GitHubClaims(), "repository_owner_id", "1"))),
        ["unknown kid (attacker key)"] = (TokenRejectionReasons.UnknownKey, h => TestKeys.Attacker.Sign(h.GitHubClaims().ToJsonString())),
        ["attacker key reusing the provider's kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.Attacker.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["kid"] = "gh-1" })),
        ["attacker key without kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.Attacker.SignRaw(new JsonObject { ["alg"] = "RS256" }.ToJsonString(), h.GitHubClaims().ToJsonString())),
        ["jku pointing at attacker JWKS"] = (TokenRejectionReasons.UnknownKey, h => TestKeys.Attacker.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["jku"] = h.GitLabServer.BaseUrl + "/attacker/jwks" })),
        ["x5u pointing at attacker certificate"] = (TokenRejectionReasons.UnknownKey, h => TestKeys.Attacker.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["x5u"] = h.GitLabServer.BaseUrl + "/attacker/cert" })),
        ["embedded jwk with attacker kid"] = (TokenRejectionReasons.UnknownKey, h => TestKeys.Attacker.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["jwk"] = TestKeys.Attacker.PublicJwk() })),
        ["embedded jwk without kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.Attacker.SignRaw(new JsonObject { ["alg"] = "RS256", ["jwk"] = TestKeys.Attacker.PublicJwk() }.ToJsonString(), h.GitHubClaims().ToJsonString())),
        ["embedded EC jwk without kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.AttackerEc.SignRaw(new JsonObject { ["alg"] = "ES256", ["jwk"] = TestKeys.AttackerEc.PublicJwk() }.ToJsonString(), h.KubernetesClaims().ToJsonString())),
        ["x5c with attacker certificate, no kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.Attacker.SignRaw(new JsonObject { ["alg"] = "RS256", ["x5c"] = new JsonArray(TestKeys.Attacker.SelfSignedCertificate()) }.ToJsonString(), h.GitHubClaims().ToJsonString())),
        ["wrong aud"] = (TokenRejectionReasons.AudienceMismatch, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "aud", "https://github.com/container-registry").ToJsonString())),
        ["missing aud"] = (TokenRejectionReasons.AudienceMismatch, h => h.GitHubKey.Sign(Remove(h.GitHubClaims(), "aud").ToJsonString())),
        ["aud array without ours"] = (TokenRejectionReasons.AudienceMismatch, h => h.KubernetesKey.Sign(Set(h.KubernetesClaims(), "aud", new JsonArray("a", "b")).ToJsonString())),
        ["aud with a trailing slash"] = (TokenRejectionReasons.AudienceMismatch, h => h.GitLabKey.Sign(Set(h.GitLabClaims(), "aud", SeedClaims.Audience + "/").ToJsonString())),
        ["aud differing in case"] = (TokenRejectionReasons.AudienceMismatch, h => h.GitLabKey.Sign(Set(h.GitLabClaims(), "aud", "MACFLY4200.8gears.ch").ToJsonString())),
        ["wrong iss"] = (TokenRejectionReasons.UnknownIssuer, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "iss", "https://evil.example").ToJsonString())),
        ["iss with trailing slash"] = (TokenRejectionReasons.UnknownIssuer, h => h.GitLabKey.Sign(Set(h.GitLabClaims(), "iss", "https://gitlab.com/").ToJsonString())),
        ["missing iss"] = (TokenRejectionReasons.MissingClaim, h => h.GitLabKey.Sign(Remove(h.GitLabClaims(), "iss").ToJsonString())),
        ["expired"] = (TokenRejectionReasons.TokenExpired, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "exp", Now(h) - 120).ToJsonString())),
        ["nbf in the future"] = (TokenRejectionReasons.TokenNotYetValid, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "nbf", Now(h) + 600).ToJsonString())),
        ["iat far in the future"] = (TokenRejectionReasons.TokenNotYetValid, h => h.GitLabKey.Sign(Set(Set(h.GitLabClaims(), "iat", Now(h) + 3000), "exp", Now(h) + 3600).ToJsonString())),
        ["missing exp"] = (TokenRejectionReasons.MissingClaim, h => h.GitHubKey.Sign(Remove(h.GitHubClaims(), "exp").ToJsonString())),
        ["exp as a string"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "exp", (Now(h) + 60).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToJsonString())),
        ["lifetime over the maximum"] = (TokenRejectionReasons.LifetimeTooLong, h => h.GitLabKey.Sign(Set(h.GitLabClaims(), "exp", Now(h) + (25 * 3600)).ToJsonString())),
        ["lifetime over the maximum, no iat"] = (TokenRejectionReasons.LifetimeTooLong, h => h.KubernetesKey.Sign(Set(Remove(h.KubernetesClaims(), "iat"), "exp", Now(h) + (25 * 3600)).ToJsonString())),
        ["missing sub"] = (TokenRejectionReasons.MissingClaim, h => h.GitHubKey.Sign(Remove(h.GitHubClaims(), "sub").ToJsonString())),
        ["oversize (20 KiB claim)"] = (TokenRejectionReasons.TokenTooLarge, h => h.GitHubKey.Sign(Set(h.GitHubClaims(), "padding", new string('x', 20 * 1024)).ToJsonString())),
        ["oversize garbage (1 MiB)"] = (TokenRejectionReasons.TokenTooLarge, _ => new string('A', 1024 * 1024)),
        ["empty string"] = (TokenRejectionReasons.MalformedToken, _ => string.Empty),
        ["non-JSON header"] = (TokenRejectionReasons.MalformedToken, h => TestKey.B64("not json") + "." + TestKey.B64(h.GitHubClaims().ToJsonString()) + ".c2ln"),
        ["non-JSON payload"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.SignRaw("""{"alg":"RS256","kid":"gh-1"}""", "{not json")),
        ["payload is a JSON array"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.SignRaw("""{"alg":"RS256","kid":"gh-1"}""", "[1,2]")),
        ["non-base64url segments"] = (TokenRejectionReasons.MalformedToken, _ => "eyJ$.e+/=.abc"),
        ["two segments"] = (TokenRejectionReasons.MalformedToken, h => StripSignature(h.GitHubKey.Sign(h.GitHubClaims().ToJsonString())).TrimEnd('.')),
        ["four segments"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString()) + ".c2ln"),
        ["five segments (JWE)"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString()) + ".a.b"),
        ["crit header"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["crit"] = new JsonArray("exp"), ["exp"] = 1 })),
        ["typ at+jwt (an access token)"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["typ"] = "at+jwt" })),
        ["duplicate claim (second iss)"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString().TrimEnd('}') + ""","iss":"https://evil.example"}""")),
        ["duplicate claim (nested)"] = (TokenRejectionReasons.MalformedToken, h => h.KubernetesKey.Sign(h.KubernetesClaims().ToJsonString().Replace("\"namespace\":\"default\"", "\"namespace\":\"default\",\"namespace\":\"kube-system\"", StringComparison.Ordinal))),
        ["duplicate header member (second alg)"] = (TokenRejectionReasons.MalformedToken, h => h.GitHubKey.SignRaw("""{"alg":"RS256","kid":"gh-1","alg":"none"}""", h.GitHubClaims().ToJsonString())),
        ["GitLab's key presented with GitHub's issuer"] = (TokenRejectionReasons.UnknownKey, h => h.GitLabKey.Sign(Set(h.GitLabClaims(), "iss", SeedClaims.GitHubIssuer).ToJsonString())),
        ["GitLab's key without kid presented with GitHub's issuer"] = (TokenRejectionReasons.SignatureInvalid, h => h.GitLabKey.SignRaw("""{"alg":"RS256"}""", Set(h.GitLabClaims(), "iss", SeedClaims.GitHubIssuer).ToJsonString())),
        ["cluster key presented with GitLab's issuer"] = (TokenRejectionReasons.UnknownKey, h => h.KubernetesKey.Sign(Set(h.KubernetesClaims(), "iss", SeedClaims.GitLabIssuer).ToJsonString())),
        ["ES256 header over an RSA key's kid"] = (TokenRejectionReasons.SignatureInvalid, h => TestKeys.AttackerEc.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["kid"] = "gh-1" })),
        ["PS256 header for a key declared RS256"] = (TokenRejectionReasons.SignatureInvalid, h => h.GitHubKey.Sign(h.GitHubClaims().ToJsonString(), new JsonObject { ["alg"] = "PS256" })),
    };

    private readonly FederationHarness _harness = new();

    public static TheoryData<string> AttackNames => [.. Attacks.Keys];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void Attacks_Suite_HasAtLeastThirtyCases() => Assert.True(Attacks.Count >= 30);

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task ValidateAsync_CraftedToken_IsRefusedWithReason(string attack)
    {
        _harness.GitLabServer.Serve("/attacker/jwks", TestKey.Jwks(TestKeys.Attacker));
        var (reason, forge) = Attacks[attack];

        var result = await _harness.ValidateAsync(forge(_harness));

        Assert.False(result.IsValid, $"{attack}: accepted");
        Assert.Equal(reason, result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Message));
        Assert.Equal(0, _harness.GitLabServer.Hits("/attacker/jwks") + _harness.GitLabServer.Hits("/attacker/cert"));
    }

    private static long Now(FederationHarness h) => h.Time.GetUtcNow().ToUnixTimeSeconds();

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

    private static string Hmac(string alg, byte[] secret, string? kid, JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var input = TestKey.B64(header.ToJsonString()) + "." + TestKey.B64(claims.ToJsonString());
        var data = Encoding.ASCII.GetBytes(input);
        var mac = alg == "HS256" ? HMACSHA256.HashData(secret, data) : HMACSHA512.HashData(secret, data);
        return input + "." + TestKey.B64(mac);
    }

    private static string StripSignature(string jwt) => jwt[..(jwt.LastIndexOf('.') + 1)];

    private static string AlterSignature(string jwt)
    {
        var chars = jwt.ToCharArray();
        var i = jwt.LastIndexOf('.') + 10;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string SwapPayload(string jwt, JsonObject claims)
    {
        var parts = jwt.Split('.');
        return parts[0] + "." + TestKey.B64(claims.ToJsonString()) + "." + parts[2];
    }
}
