using Berth.Federation.Claims;
using Berth.Federation.Robots;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

public sealed class SharedIssuerGuardTests
{
    [Theory]
    [InlineData("repository_owner_id", ClaimOperator.Equal, "46576199")]
    [InlineData("repository_owner", ClaimOperator.Equal, "container-registry")]
    [InlineData("repository_id", ClaimOperator.In, "1104004353")]
    [InlineData("repository", ClaimOperator.Equal, "container-registry/federated-idp-examples")]
    [InlineData("repository", ClaimOperator.Glob, "container-registry/federated-idp-examples")]
    [InlineData("sub", ClaimOperator.Equal, "repo:container-registry/federated-idp-examples:ref:refs/heads/main")]
    [InlineData("sub", ClaimOperator.Glob, "repo:container-registry/*:ref:refs/heads/main")]
    [InlineData("sub", ClaimOperator.Glob, "repo:org@46576199/**")]
    public void Validate_GitHubRobotPinningTenant_IsAccepted(string claim, ClaimOperator @operator, string value) =>
        Assert.Empty(RobotDefinitionValidator.Validate(GitHubRobot(new ClaimRule(claim, @operator, value)), RobotSet.Providers));

    [Theory]
    [InlineData("ref", ClaimOperator.Equal, "refs/heads/main")]
    [InlineData("repository", ClaimOperator.Glob, "container-registry/*")]
    [InlineData("repository_owner", ClaimOperator.Regex, "container-registry")]
    [InlineData("repository_owner", ClaimOperator.Equal, "")]
    [InlineData("sub", ClaimOperator.Glob, "repo:*/federated-idp-examples:**")]
    [InlineData("sub", ClaimOperator.Glob, "repo:**")]
    [InlineData("sub", ClaimOperator.Equal, "repo:container-registry")]
    [InlineData("actor", ClaimOperator.Equal, "Vad1mo")]
    public void Validate_GitHubRobotNotPinningTenant_IsRefusedNamingTheClaim(string claim, ClaimOperator @operator, string value)
    {
        var errors = RobotDefinitionValidator.Validate(GitHubRobot(new ClaimRule(claim, @operator, value)), RobotSet.Providers);

        Assert.Equal(
            "robot 'x' trusts the shared issuer https://token.actions.githubusercontent.com: add a rule on repository_owner_id (preferred) or repository to pin your organisation",
            Assert.Single(errors));
    }

    [Theory]
    [InlineData("namespace_id", "1087575", true)]
    [InlineData("namespace_path", "8gears/container-registry", true)]
    [InlineData("project_id", "76366029", true)]
    [InlineData("project_path", "8gears/container-registry/harbor-workload-identity-federation", true)]
    [InlineData("sub", "project_path:8gears/container-registry/harbor-workload-identity-federation:ref_type:branch:ref:main", true)]
    [InlineData("user_login", "vad1mo", false)]
    [InlineData("ref", "main", false)]
    public void Validate_GitLabDotComRobot_MustPinNamespaceOrProject(string claim, string value, bool accepted)
    {
        var robot = new RobotDefinition { Name = "x", IdentityProvider = "gitlab", Rules = [new ClaimRule(claim, ClaimOperator.Equal, value)] };

        var errors = RobotDefinitionValidator.Validate(robot, RobotSet.Providers);

        if (accepted)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Contains("trusts the shared issuer https://gitlab.com: add a rule on namespace_id", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_PrivateIssuer_NeedsNoPin() =>
        Assert.Empty(RobotDefinitionValidator.Validate(
            new RobotDefinition { Name = "x", IdentityProvider = "k3d", Rules = [new ClaimRule("sub", ClaimOperator.Glob, "**")] }, RobotSet.Providers));

    private static RobotDefinition GitHubRobot(ClaimRule rule) => new()
    {
        Name = "x",
        IdentityProvider = "github",
        Rules = [new ClaimRule("ref", ClaimOperator.Glob, "refs/heads/*"), rule],
    };
}
