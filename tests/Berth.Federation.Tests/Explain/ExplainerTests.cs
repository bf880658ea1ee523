using System.Text.Json;
using Berth.Federation.Explain;
using Berth.Federation.Tests.Support;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Explain;

public sealed class ExplainerTests : IAsyncLifetime
{
    private readonly FederationHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void Explain_KubernetesClaims_ShowsEachRuleValueAndVerdict()
    {
        var claims = SeedClaims.KubernetesAt(FederationHarness.Start);
        claims["kubernetes.io"]!["namespace"] = "build";

        var explanation = Explainer.Explain(SeedClaims.Element(claims), RobotSet.All, "cluster-pull");

        var robot = Assert.Single(explanation.Robots);
        Assert.False(robot.Matched);
        Assert.Equal(("sub", "glob", "system:serviceaccount:default:default", true), (robot.Rules[0].Claim, robot.Rules[0].Operator, robot.Rules[0].Found, robot.Rules[0].Matched));
        Assert.Equal(["system:serviceaccount:*:*"], robot.Rules[0].Expected);
        Assert.Equal(("kubernetes.io.namespace", "in", "build", false), (robot.Rules[1].Claim, robot.Rules[1].Operator, robot.Rules[1].Found, robot.Rules[1].Matched));
        Assert.Equal(["default", "release"], robot.Rules[1].Expected);
        Assert.Empty(robot.Permissions);
        Assert.False(explanation.AnyMatched);
    }

    [Fact]
    public void Explain_MissingClaim_IsReportedAsMissing()
    {
        var claims = SeedClaims.GitHubAt(FederationHarness.Start);
        claims.Remove("event_name");

        var robot = Assert.Single(Explainer.Explain(SeedClaims.Element(claims), RobotSet.All, "ci-push").Robots);

        var rule = robot.Rules.Single(r => r.Claim == "event_name");
        Assert.True(rule.Missing);
        Assert.False(rule.Matched);
        Assert.Contains("event_name in [push, workflow_dispatch]  (found: <missing>)", Explainer.Explain(SeedClaims.Element(claims), RobotSet.All, "ci-push").ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ValidatedToken_ConsidersOnlyItsProvidersRobotsAndShowsPermissions()
    {
        var result = await _harness.ValidateAsync(_harness.GitHubKey.Sign(_harness.GitHubClaims().ToJsonString()));

        var explanation = Explainer.Explain(result.Token!, RobotSet.All, null);

        Assert.Equal(["ci-push", "org-ci"], explanation.Robots.Where(r => r.Matched).Select(r => r.Robot));
        Assert.All(explanation.Robots.Where(r => r.IdentityProvider != "github"), r => Assert.False(r.Considered));
        Assert.Contains(explanation.Permissions, p => p.Repositories == "container-registry/federated-idp-examples");
        Assert.Contains("robot ci-push (identity provider github): MATCHED", explanation.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Result_SerializesToJson()
    {
        var explanation = Explainer.Explain(SeedClaims.Element(SeedClaims.GitLabAt(FederationHarness.Start)), RobotSet.All, "gitlab-push");

        var json = JsonSerializer.Serialize(explanation);

        Assert.Contains("\"Found\":\"1087575\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Matched\":true", json, StringComparison.Ordinal);
    }
}
