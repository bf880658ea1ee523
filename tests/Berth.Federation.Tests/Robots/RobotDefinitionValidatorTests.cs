using Berth.Federation.Claims;
using Berth.Federation.Robots;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

public sealed class RobotDefinitionValidatorTests
{
    [Fact]
    public void ValidateAll_IssueExampleRobots_AreValid() =>
        Assert.Empty(RobotDefinitionValidator.ValidateAll(RobotSet.All, RobotSet.Providers));

    [Fact]
    public void Validate_UnknownIdentityProvider_NamesField()
    {
        var errors = RobotDefinitionValidator.Validate(RobotSet.ClusterPull with { IdentityProvider = "nope" }, RobotSet.Providers);

        Assert.Contains("robots[cluster-pull].identityProvider: 'nope' is not a configured identity provider", errors);
    }

    [Fact]
    public void Validate_ClassicRobotWithoutSecret_NamesSecretHash()
    {
        var errors = RobotDefinitionValidator.Validate(RobotSet.LegacyPull with { SecretHash = null }, RobotSet.Providers);

        Assert.Contains(errors, e => e.StartsWith("robots[legacy-pull].secretHash:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ClassicRobotWithRules_IsRefused()
    {
        var errors = RobotDefinitionValidator.Validate(RobotSet.LegacyPull with { Rules = [new ClaimRule("sub", ClaimOperator.Equal, "x")] }, RobotSet.Providers);

        Assert.Contains(errors, e => e.StartsWith("robots[legacy-pull].rules:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownAction_NamesPermission()
    {
        var errors = RobotDefinitionValidator.Validate(RobotSet.ClusterPull with { Permissions = [RobotSet.Permission("library", "**", "pull", "admin")] }, RobotSet.Providers);

        Assert.Contains(errors, e => e.StartsWith("robots[cluster-pull].permissions[0].actions:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ci/${repository")]
    [InlineData("ci/${}")]
    [InlineData("ci/${a..b}")]
    public void Validate_BrokenTemplate_IsRefused(string repositories) =>
        Assert.NotEmpty(RobotDefinitionValidator.Validate(RobotSet.OrgCi with { Permissions = [RobotSet.Permission("ci", repositories, "push")] }, RobotSet.Providers));

    [Fact]
    public void Validate_RefreshLifetimeBeyondMaximum_IsRefused()
    {
        var errors = RobotDefinitionValidator.Validate(RobotSet.ClusterPull with { RefreshTokenLifetime = TimeSpan.FromDays(2) }, RobotSet.Providers);

        Assert.Contains(errors, e => e.StartsWith("robots[cluster-pull].refreshTokenLifetime:", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateAll_DuplicateNames_IsRefused() =>
        Assert.Contains(RobotDefinitionValidator.ValidateAll([RobotSet.ClusterPull, RobotSet.ClusterPull], RobotSet.Providers),
            e => e.Contains("is used by 2 robots", StringComparison.Ordinal));
}
