using Berth.Federation.Explain;
using Berth.Federation.Robots;
using Berth.Federation.Tests.Support;
using Berth.Federation.Tests.Tokens;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Explain;

/// <summary>
/// Explain reports the registry's decision (<see cref="WorkloadLogin"/>): every crafted token of the attack
/// suite is refused with the suite's reason and matches no robot, and every seed token matches exactly
/// the robots the token service would match.
/// </summary>
public sealed class TokenExplainerTests : IAsyncLifetime
{
    private readonly FederationHarness _harness = new();
    private RobotMatcher _matcher = null!;
    private TokenExplainer _explainer = null!;

    public static TheoryData<string> AttackNames => [.. AttackSuiteTests.Attacks.Keys];

    public static TheoryData<string> SeedNames => ["github", "gitlab", "k3d", "github, another owner", "k3d, kube-system"];

    public Task InitializeAsync()
    {
        _harness.GitLabServer.Serve("/attacker/jwks", TestKey.Jwks(TestKeys.Attacker));
        _matcher = new RobotMatcher(RobotSet.All, [_harness.GitHub, _harness.GitLab, _harness.Kubernetes]);
        _explainer = new TokenExplainer(_harness.Validator, _matcher);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task ExplainToken_AttackSuiteToken_IsRefusedWithTheTokenServicesReason(string attack)
    {
        var (reason, forge) = AttackSuiteTests.Attacks[attack];
        var token = forge(_harness);

        var explained = await _explainer.ExplainTokenAsync(token, null, CancellationToken.None);
        var login = await WorkloadLogin.DecideAsync(_harness.Validator, _matcher, token, null, CancellationToken.None);

        Assert.Equal((TokenExplanation.Refused, reason), (explained.Outcome, explained.Rejection));
        Assert.Equal(login.Reason, explained.Rejection);
        Assert.False(explained.IsMatched);
        Assert.DoesNotContain(explained.Explanation.Robots, r => r.Matched);
        Assert.Empty(explained.Explanation.Permissions);
        Assert.Contains("result: refused (" + reason + ")", explained.ToText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public async Task ExplainToken_SeedToken_MatchesTheRobotsTheTokenServiceMatches(string seed)
    {
        var token = Seed(seed);

        var explained = await _explainer.ExplainTokenAsync(token, null, CancellationToken.None);
        var login = await WorkloadLogin.DecideAsync(_harness.Validator, _matcher, token, null, CancellationToken.None);

        Assert.True(login.Validation.IsValid);
        Assert.Equal(login.Accepted ? TokenExplanation.Matched : TokenExplanation.Refused, explained.Outcome);
        Assert.Equal(login.Reason, explained.Rejection);
        Assert.Equal(login.Match!.MatchedRobots.Select(r => r.Name), explained.Explanation.Robots.Where(r => r.Matched).Select(r => r.Robot));
        Assert.All(explained.Explanation.Robots.Where(r => r.Considered), r => Assert.Equal(login.Validation.Token!.IdentityProvider, r.IdentityProvider));
    }

    [Fact]
    public async Task ExplainToken_WrongAudience_EvaluatesOnlyTheClaimedProvidersRobotsAndMatchesNone()
    {
        var claims = _harness.GitHubClaims();
        claims["aud"] = "https://github.com/container-registry";

        var explained = await _explainer.ExplainTokenAsync(_harness.GitHubKey.Sign(claims.ToJsonString()), null, CancellationToken.None);

        Assert.Equal("audience_mismatch", explained.Rejection);
        var considered = explained.Explanation.Robots.Where(r => r.Considered).ToList();
        Assert.Equal(["ci-push", "org-ci"], considered.Select(r => r.Robot));
        Assert.All(considered, r => Assert.True(r.Rules.All(rule => rule.Matched) && !r.Matched));
        Assert.DoesNotContain("result: matched", explained.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainClaims_IssuerOfNoProvider_IsRefusedWithUnknownIssuer()
    {
        var claims = _harness.GitHubClaims();
        claims["iss"] = "https://evil.example";

        var explained = _explainer.ExplainClaims(SeedClaims.Element(claims), null);

        Assert.Equal((TokenExplanation.Refused, "unknown_issuer"), (explained.Outcome, explained.Rejection));
        Assert.Empty(explained.Explanation.Robots);
    }

    private string Seed(string name)
    {
        var now = _harness.Time.GetUtcNow();
        switch (name)
        {
            case "github":
                return _harness.GitHubKey.Sign(SeedClaims.GitHubAt(now).ToJsonString());
            case "gitlab":
                return _harness.GitLabKey.Sign(SeedClaims.GitLabAt(now).ToJsonString());
            case "k3d":
                return _harness.KubernetesKey.Sign(SeedClaims.KubernetesAt(now).ToJsonString());
            case "github, another owner":
                var github = SeedClaims.GitHubAt(now);
                github["repository_owner_id"] = "1";
                return _harness.GitHubKey.Sign(github.ToJsonString());
            default:
                var kubernetes = SeedClaims.KubernetesAt(now);
                kubernetes["kubernetes.io"]!["namespace"] = "kube-system";
                return _harness.KubernetesKey.Sign(kubernetes.ToJsonString());
        }
    }
}
