using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Federation.Tests.Support;
using Berth.Tests.Auth;

namespace Berth.Tests.Admin;

/// <summary>
/// Explain gives the token service's verdict: every token of the attack corpus and the seed tokens is
/// sent both to <c>/service/token</c> and to <c>POST /api/v1/explain</c>, and the two must agree on
/// accepted or refused, on the reason code and on the robots matched.
/// </summary>
public sealed class ExplainAgreementTests : IAsyncLifetime
{
    /// <summary>The seed documents' tokens: matching a robot, matching none, and from an issuer this registry does not trust.</summary>
    private static readonly Dictionary<string, Func<FederatedRegistry, string>> Seeds = new()
    {
        ["GitHub seed (ci-push)"] = r => r.GitHubToken(),
        ["Kubernetes seed (cluster-pull)"] = r => r.KubernetesToken(),
        ["GitHub seed of another owner"] = r => r.GitHubToken(c => c["repository_owner_id"] = "1"),
        ["GitHub seed of a tag push"] = r => r.GitHubToken(c => c["ref"] = "refs/tags/v1"),
        ["Kubernetes seed in kube-system"] = r => r.KubernetesToken(c => c["kubernetes.io"]!["namespace"] = "kube-system"),
        ["GitLab seed (no gitlab provider here)"] = r => r.GitHubKey.Sign(SeedClaims.GitLabAt(r.Time.GetUtcNow()).ToJsonString()),
    };

    private AdminRegistry admin = null!;

    public async Task InitializeAsync() => admin = await AdminRegistry.StartAsync();

    public async Task DisposeAsync() => await admin.DisposeAsync();

    [Fact]
    public async Task Explain_EveryAttackAndSeedToken_AgreesWithTheTokenService()
    {
        // The classic robot's wrong secret is not a workload token: explain is for tokens only.
        var corpus = TokenAttackTests.Attacks
            .Where(a => a.Value.Reason != "invalid_credentials")
            .Select(a => (Name: a.Key, Make: a.Value.Make))
            .Concat(Seeds.Select(s => (Name: s.Key, Make: s.Value)))
            .ToList();
        Assert.True(corpus.Count >= 35, $"{corpus.Count} tokens");

        var disagreements = new List<string>();
        foreach (var (name, make) in corpus)
        {
            var token = make(admin.Registry);
            var service = await TokenServiceVerdictAsync(token);
            var (status, explained) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token });
            Assert.Equal(HttpStatusCode.OK, status);
            var explain = (
                Outcome: explained.GetProperty("outcome").GetString(),
                Reason: explained.TryGetProperty("rejection", out var rejection) ? rejection.GetString() : null,
                Robots: string.Join(',', explained.GetProperty("explanation").GetProperty("robots").EnumerateArray()
                    .Where(r => r.GetProperty("matched").GetBoolean()).Select(r => r.GetProperty("robot").GetString())));
            if (explain != service)
            {
                disagreements.Add($"{name}: token service {service}, explain {explain}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
        Assert.Contains(corpus, c => c.Name == "GitHub seed (ci-push)");
    }

    [Fact]
    public async Task Explain_WrongAudienceToken_IsRefusedAndOnlyItsProvidersRobotsAreEvaluated()
    {
        var token = admin.Registry.GitHubToken(c => c["aud"] = "https://github.com/container-registry");

        var (_, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token });

        Assert.Equal("refused", body.GetProperty("outcome").GetString());
        Assert.Equal("audience_mismatch", body.GetProperty("rejection").GetString());
        var robots = body.GetProperty("explanation").GetProperty("robots").EnumerateArray().ToList();
        Assert.All(robots, r => Assert.False(r.GetProperty("matched").GetBoolean()));
        Assert.All(robots.Where(r => r.GetProperty("considered").GetBoolean()), r => Assert.Equal("github", r.GetProperty("identityProvider").GetString()));
        Assert.DoesNotContain(robots, r => r.GetProperty("robot").GetString() == "cluster-pull" && r.GetProperty("considered").GetBoolean());
    }

    [Fact]
    public async Task Explain_ValidTokenMatchingNoRobot_IsRefusedWithNoRobotMatched()
    {
        var token = admin.Registry.GitHubToken(c => c["repository_owner_id"] = "1");

        var (_, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/explain", new { token });

        Assert.True(body.GetProperty("tokenValid").GetBoolean());
        Assert.Equal("refused", body.GetProperty("outcome").GetString());
        Assert.Equal("no_robot_matched", body.GetProperty("rejection").GetString());
    }

    /// <summary>What <c>/service/token</c> decides: the outcome, the 401 reason and the robots named in the issued token.</summary>
    private async Task<(string? Outcome, string? Reason, string Robots)> TokenServiceVerdictAsync(string token)
    {
        using var response = await admin.Registry.RequestTokenAsync(token);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return ("refused", body.GetProperty("error").GetString(), string.Empty);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = body.GetProperty("token").GetString()!.Split('.')[1];
        var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(payload)))).RootElement;
        return ("matched", null, string.Join(',', claims.GetProperty("robots").EnumerateArray().Select(r => r.GetString())));
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
