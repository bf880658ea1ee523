using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Federation.Claims;
using Berth.Federation.Robots;
using Berth.Federation.Tests.Support;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

public sealed class RobotMatcherTests
{
    private readonly RobotMatcher _matcher = new(RobotSet.All, RobotSet.Providers);

    [Fact]
    public void Match_GitHubSeedClaims_MatchesBothGitHubRobotsWithUnionOfPermissions()
    {
        var result = _matcher.Match("github", GitHub(), "not-relevant");

        Assert.True(result.Matched);
        Assert.Equal(["ci-push", "org-ci"], result.MatchedRobots.Select(r => r.Name));
        Assert.Equal(
            ["library app/** pull,push", "ci container-registry/federated-idp-examples pull,push", "library ** pull"],
            result.Permissions.Select(p => $"{p.Project} {p.Repositories} {string.Join(",", p.Actions)}"));
        Assert.Null(result.Message);
    }

    [Fact]
    public void Match_UsernameNamesRobot_OnlyThatRobotIsChecked()
    {
        var result = _matcher.Match("github", GitHub(), "org-ci");

        Assert.Equal(["org-ci"], result.MatchedRobots.Select(r => r.Name));
        Assert.Single(result.Explanation.Robots);
    }

    [Fact]
    public void Match_UsernameNamesRobotOfAnotherProvider_NoMatch()
    {
        var result = _matcher.Match("github", GitHub(), "cluster-pull");

        Assert.False(result.Matched);
        Assert.Equal("no robots matched your token", result.Message);
    }

    [Fact]
    public void Match_UsernameNamesClassicRobot_NoMatch() =>
        Assert.False(_matcher.Match("github", GitHub(), "legacy-pull").Matched);

    [Fact]
    public void Match_ClaimsFromAnotherProvider_OnlyThatProvidersRobotsAreChecked()
    {
        var result = _matcher.Match("k3d", Element(SeedClaims.KubernetesAt(FederationHarness.Start)), "jwt");

        Assert.Equal(["cluster-pull"], result.MatchedRobots.Select(r => r.Name));
        Assert.DoesNotContain(result.Explanation.Robots, r => r.Considered && r.IdentityProvider != "k3d");
    }

    [Fact]
    public void Match_OneRuleFails_RobotDoesNotMatch()
    {
        var claims = SeedClaims.GitHubAt(FederationHarness.Start);
        claims["ref"] = "refs/tags/v1";

        var result = _matcher.Match("github", Element(claims), null);

        Assert.Equal(["org-ci"], result.MatchedRobots.Select(r => r.Name));
    }

    [Fact]
    public void Match_NoRobotMatches_ReturnsDocumentedMessage()
    {
        var claims = SeedClaims.GitHubAt(FederationHarness.Start);
        claims["repository_owner_id"] = "1";

        var result = _matcher.Match("github", Element(claims), null);

        Assert.False(result.Matched);
        Assert.Empty(result.Permissions);
        Assert.Equal(RobotMatchResult.NoMatchMessage, result.Message);
    }

    [Fact]
    public void Match_DisabledRobot_NeverMatches()
    {
        var matcher = new RobotMatcher([RobotSet.CiPush with { Enabled = false }], RobotSet.Providers);

        Assert.False(matcher.Match("github", GitHub(), null).Matched);
    }

    [Fact]
    public void Match_RobotWithoutRules_NeverMatches()
    {
        var matcher = new RobotMatcher([RobotSet.ClusterPull with { Rules = [] }], RobotSet.Providers);

        var result = matcher.Match("k3d", Element(SeedClaims.KubernetesAt(FederationHarness.Start)), null);

        Assert.False(result.Matched);
        Assert.Contains("no rules", result.Explanation.Robots[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_TemplatedPermissionWithNestedPath_SubstitutesClaim()
    {
        var matcher = new RobotMatcher([RobotSet.GitLabPush], RobotSet.Providers);

        var result = matcher.Match("gitlab", Element(SeedClaims.GitLabAt(FederationHarness.Start)), null);

        Assert.Equal("8gears/container-registry/harbor-workload-identity-federation", Assert.Single(result.Permissions).Repositories);
    }

    [Theory]
    [InlineData("Container-Registry/App")]
    [InlineData("acme/../library")]
    [InlineData("acme/*")]
    [InlineData("acme//app")]
    [InlineData("/acme")]
    [InlineData("acme/./app")]
    [InlineData("acme/app?")]
    public void Match_TemplateSubstitutesInvalidPath_DropsThatPermissionOnly(string repository)
    {
        var claims = SeedClaims.GitHubAt(FederationHarness.Start);
        claims["repository"] = repository;

        var result = _matcher.Match("github", Element(claims), "org-ci");

        Assert.True(result.Matched);
        var remaining = Assert.Single(result.Permissions);
        Assert.Equal(("library", "**"), (remaining.Project, remaining.Repositories));
        Assert.Single(result.Explanation.Robots[0].DroppedPermissions);
    }

    [Fact]
    public void Match_TemplateClaimMissing_DropsPermission()
    {
        var claims = SeedClaims.GitHubAt(FederationHarness.Start);
        claims.Remove("repository");

        var result = _matcher.Match("github", Element(claims), "org-ci");

        Assert.DoesNotContain(result.Permissions, p => p.Project == "ci");
    }

    [Fact]
    public void Match_TemplateInProjectWithSlash_DropsPermission()
    {
        var robot = RobotSet.OrgCi with { Permissions = [RobotSet.Permission("${repository}", "**", "pull")] };
        var matcher = new RobotMatcher([robot], RobotSet.Providers);

        Assert.Empty(matcher.Match("github", GitHub(), null).Permissions);
    }

    [Theory]
    [InlineData("github", null)]
    [InlineData("github", "org-ci")]
    [InlineData("github", "cluster-pull")]
    [InlineData("k3d", "jwt")]
    [InlineData("k3d", null)]
    public void Match_VerdictAndPermissions_AgreeWithTheExplanation(string identityProvider, string? username)
    {
        var claims = identityProvider == "github" ? GitHub() : Element(SeedClaims.KubernetesAt(FederationHarness.Start));

        var result = _matcher.Match(identityProvider, claims, username);

        var explained = result.Explanation;
        Assert.Equal(explained.Robots.Where(r => r.Matched).Select(r => r.Robot), result.MatchedRobots.Select(r => r.Name));
        Assert.Equal(
            explained.Permissions.Select(p => $"{p.Project} {p.Repositories} {string.Join(",", p.Actions)}"),
            result.Permissions.Select(p => $"{p.Project} {p.Repositories} {string.Join(",", p.Actions)}"));
    }

    [Fact]
    public void Constructor_UnpinnedGitHubRobot_IsRefusedWithGuardMessage()
    {
        var robot = new RobotDefinition
        {
            Name = "x",
            IdentityProvider = "github",
            Rules = [new ClaimRule("ref", ClaimOperator.Glob, "refs/heads/*")],
        };

        var error = Assert.Throws<ArgumentException>(() => new RobotMatcher([robot], RobotSet.Providers));

        Assert.Contains("robot 'x' trusts the shared issuer https://token.actions.githubusercontent.com: add a rule on repository_owner_id (preferred) or repository to pin your organisation", error.Message, StringComparison.Ordinal);
    }

    private static JsonElement GitHub() => Element(SeedClaims.GitHubAt(FederationHarness.Start));

    private static JsonElement Element(JsonObject claims) => SeedClaims.Element(claims);
}
