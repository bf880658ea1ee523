using Berth.Federation.Claims;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using RobotSet = Berth.Federation.Tests.Support.Robots;

namespace Berth.Federation.Tests.Robots;

public sealed class RobotLinterTests
{
    private static readonly IdentityProviderOptions[] Providers =
    [
        .. RobotSet.Providers,
        new() { Name = "codeberg", Issuer = "https://codeberg.org/api/actions", Audiences = ["registry.example.com"] },
    ];

    /// <summary>What <c>berth robot add --preset github-repo</c> writes, plus a branch pin.</summary>
    private static RobotDefinition Preset => new()
    {
        Name = "acme-app",
        IdentityProvider = "github",
        Rules =
        [
            new ClaimRule("repository_owner_id", ClaimOperator.Equal, "46576199"),
            new ClaimRule("repository_id", ClaimOperator.Equal, "1104004353"),
            new ClaimRule("repository", ClaimOperator.Equal, "container-registry/federated-idp-examples"),
            new ClaimRule("ref", ClaimOperator.Equal, "refs/heads/main"),
        ],
        Permissions = [RobotSet.Permission("library", "**", "pull", "push")],
    };

    [Fact]
    public void Lint_PresetShapedGitHubRobotWithIdsAndRefPin_NoWarnings() =>
        Assert.Empty(Lint(Preset));

    [Fact]
    public void Lint_RepositoryWithoutRepositoryId_SaysToAddTheId()
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules.Where(r => r.Claim != "repository_id")] }));

        Assert.Equal(new LintWarning(
            "acme-app",
            "name-without-id",
            "rules check repository but not repository_id: a repository can be renamed and its old name registered by someone else, who then gets this robot's access; add a rule on repository_id (immutable; gh api repos/OWNER/REPO --jq .id)") { Rule = 1 }, warning);
    }

    [Fact]
    public void Lint_GitLabNamespacePathWithoutNamespaceId_SaysToAddTheId()
    {
        var robot = new RobotDefinition
        {
            Name = "gl",
            IdentityProvider = "gitlab",
            Rules = [new ClaimRule("namespace_path", ClaimOperator.Equal, "8gears/container-registry"), new ClaimRule("ref_protected", ClaimOperator.Equal, "true")],
        };

        var warning = Assert.Single(Lint(robot));

        Assert.Equal("name-without-id", warning.Code);
        Assert.Equal("rules check namespace_path but not namespace_id: a group can be renamed and its old name registered by someone else, who then gets this robot's access; add a rule on namespace_id (immutable; shown on the group's overview page)", warning.Message);
    }

    [Fact]
    public void Lint_ForgejoOwnerWithoutId_SaysNewerReleasesSendTheId()
    {
        var robot = new RobotDefinition { Name = "fj", IdentityProvider = "codeberg", Rules = [new ClaimRule("repository_owner", ClaimOperator.Equal, "acme")] };

        var warning = Assert.Single(Lint(robot));

        Assert.EndsWith("add a rule on repository_owner_id (immutable; Forgejo sends it from newer releases on: check your instance's tokens with berth explain)", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClaimOperator.Glob, "*")]
    [InlineData(ClaimOperator.Glob, "**")]
    [InlineData(ClaimOperator.Regex, ".*")]
    [InlineData(ClaimOperator.Glob, "repo:container-registry/*:*")]
    [InlineData(ClaimOperator.Glob, "repo:container-registry/federated-idp-examples:*")]
    [InlineData(ClaimOperator.Regex, "repo:container-registry/.*")]
    public void Lint_BroadPatternOnGitHubSub_WarnsBroadPattern(ClaimOperator @operator, string value)
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("sub", @operator, value)] }), w => w.Code == "broad-pattern");

        Assert.StartsWith($"sub {(@operator == ClaimOperator.Glob ? "glob" : "regex")} '{value}' ", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_RepoOwnerWildcardSub_MessageNamesPullRequests()
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("sub", ClaimOperator.Glob, "repo:acme/*:*")] }));

        Assert.Equal(
            "sub glob 'repo:acme/*:*' leaves the repository or the kind of run open, so other repositories' tokens or pull requests' (repo:OWNER/REPO:pull_request) match: write the subject up to the kind of run, e.g. repo:OWNER/REPO:ref:refs/heads/main, or pin repository_id and ref instead",
            warning.Message);
        Assert.Equal(4, warning.Rule); // the console shows it beside the fifth rule, the one it is about
        Assert.Null(warning.Permission);
    }

    [Fact]
    public void Lint_AnyServiceAccountSub_SaysToNameTheNamespace()
    {
        var warning = Assert.Single(Lint(RobotSet.ClusterPull));

        Assert.Equal(new LintWarning(
            "cluster-pull",
            "broad-pattern",
            "sub glob 'system:serviceaccount:*:*' leaves the namespace open, so every service account of the cluster matches: name the namespace, e.g. system:serviceaccount:NAMESPACE:NAME (or NAMESPACE:* for all of one namespace)") { Rule = 0 }, warning);
    }

    [Fact]
    public void Lint_RefsDoubleStar_SaysToNameTheBranchOrTag()
    {
        var robot = Preset with { Rules = [.. Preset.Rules.Where(r => r.Claim != "ref"), new ClaimRule("ref", ClaimOperator.Glob, "refs/**")], Permissions = [RobotSet.Permission("library", "app/**", "push")] };

        var warning = Assert.Single(Lint(robot));

        Assert.Equal("ref glob 'refs/**' leaves the kind of ref open, so pull requests' refs (refs/pull/N/merge) and every branch and tag match: name the branch or tag, e.g. refs/heads/main or refs/tags/v*", warning.Message);
    }

    [Theory]
    [InlineData("ref", ClaimOperator.Glob, "refs/heads/*")]
    [InlineData("ref", ClaimOperator.Glob, "refs/tags/v*")]
    [InlineData("ref", ClaimOperator.Regex, @"refs/heads/(main|release-.*)")]
    [InlineData("sub", ClaimOperator.Glob, "repo:container-registry/federated-idp-examples:ref:refs/heads/*")]
    [InlineData("sub", ClaimOperator.Glob, "system:serviceaccount:build:*")]
    [InlineData("sub", ClaimOperator.Glob, "project_path:acme/app:ref_type:branch:ref:*")]
    public void Lint_PatternFixingOwnerAndKind_NoBroadPattern(string claim, ClaimOperator @operator, string value) =>
        Assert.DoesNotContain(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule(claim, @operator, value)] }), w => w.Code == "broad-pattern");

    [Fact]
    public void Lint_UnpinnedSharedIssuer_ReportsTheGuardsMessage()
    {
        var robot = new RobotDefinition { Name = "x", IdentityProvider = "github", Rules = [new ClaimRule("ref", ClaimOperator.Equal, "refs/heads/main")] };

        var warning = Assert.Single(Lint(robot));

        Assert.Equal(new LintWarning(
            "x",
            "unpinned-shared-issuer",
            "robot 'x' trusts the shared issuer https://token.actions.githubusercontent.com: add a rule on repository_owner_id (preferred) or repository to pin your organisation"), warning);
    }

    [Fact]
    public void LintAll_SameIdpAndRulesInAnotherOrder_WarnsBothRobots()
    {
        var first = Preset with { Rules = [.. Preset.Rules, new ClaimRule("event_name", ClaimOperator.In, ["push", "workflow_dispatch"])] };
        var second = first with { Name = "acme-app-2", Rules = [.. first.Rules.Reverse().Select(r => r.Claim == "event_name" ? new ClaimRule("event_name", ClaimOperator.In, ["workflow_dispatch", "push"]) : r)] };

        var warnings = RobotLinter.LintAll([first, second, RobotSet.LegacyPull], Providers);

        Assert.Equal(["acme-app", "acme-app-2"], warnings.Select(w => w.Robot));
        Assert.All(warnings, w => Assert.Equal("duplicate-rules", w.Code));
        Assert.Equal("has the same identity provider and rules as robot 'acme-app-2': every token that matches one matches both and gets both robots' permissions; merge them into one robot, or make their rules differ", warnings[0].Message);
    }

    [Fact]
    public void LintAll_SameRulesOnAnotherIdp_NoDuplicateWarning()
    {
        var other = Preset with { Name = "other", IdentityProvider = "codeberg" };

        Assert.DoesNotContain(RobotLinter.LintAll([Preset, other], Providers), w => w.Code == "duplicate-rules");
    }

    [Fact]
    public void Lint_RegexWithLeadingWildcard_SaysToDropIt()
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("job_workflow_ref", ClaimOperator.Regex, @".*/\.github/workflows/release\.yml@refs/heads/main")] }));

        Assert.Equal(new LintWarning(
            "acme-app",
            "regex-leading-wildcard",
            @"regex '.*/\.github/workflows/release\.yml@refs/heads/main' on job_workflow_ref starts with '.*', so any value that merely ends with the rest matches (Berth already anchors regexes at both ends): drop the leading '.*' and write the value from its start") { Rule = 4 }, warning);
    }

    [Fact]
    public void Lint_RegexWithUnescapedDots_ShowsTheEscapedPattern()
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("job_workflow_ref", ClaimOperator.Regex, "acme/app/.github/workflows/release.yml@.*")] }));

        Assert.Equal(new LintWarning(
            "acme-app",
            "regex-unescaped-dot",
            @"regex 'acme/app/.github/workflows/release.yml@.*' on job_workflow_ref has an unescaped '.' in '.github', which matches any character, not only a dot: write 'acme/app/\.github/workflows/release\.yml@.*'") { Rule = 4 }, warning);
    }

    [Fact]
    public void Lint_RegexWithTopLevelAlternation_SaysToGroupIt()
    {
        var warning = Assert.Single(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("job_workflow_ref", ClaimOperator.Regex, @"refs/heads/main|refs/heads/release")] }));

        Assert.Equal("regex-top-level-alternation", warning.Code);
        Assert.Contains("'(refs/heads/main|refs/heads/release)'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"^acme/app/\.github/workflows/release\.yml@refs/tags/v.*$")]
    [InlineData(@"(main|release-.*)")]
    public void Lint_RegexAnchoredAsBerthAnchorsIt_NoRegexWarning(string pattern) =>
        Assert.DoesNotContain(Lint(Preset with { Rules = [.. Preset.Rules, new ClaimRule("job_workflow_ref", ClaimOperator.Regex, pattern)] }), w => w.Code.StartsWith("regex-", StringComparison.Ordinal));

    [Fact]
    public void Lint_PushEverywhereFromAnyBranch_WarnsBroadPermission()
    {
        var robot = Preset with
        {
            Rules = [.. Preset.Rules.Where(r => r.Claim != "ref"), new ClaimRule("ref", ClaimOperator.Glob, "refs/heads/*")],
            Permissions = [RobotSet.Permission("*", "**", "pull", "push")],
        };

        var warning = Assert.Single(Lint(robot));

        Assert.Equal(new LintWarning(
            "acme-app",
            "broad-permission",
            "may push in every repository of every project (*/**), but no rule pins a branch, tag, environment or single workload, so a token from any branch of what the rules allow can push there: add a rule such as ref equals refs/heads/main, environment equals production or ref_protected equals \"true\", or narrow the permission to the repositories this robot publishes") { Permission = 0 }, warning);
    }

    [Theory]
    [InlineData("environment", ClaimOperator.Equal, "production")]
    [InlineData("ref_protected", ClaimOperator.Equal, "true")]
    [InlineData("ref", ClaimOperator.Glob, "refs/tags/v*")]
    public void Lint_PushEverywhereWithARunPin_NoBroadPermission(string claim, ClaimOperator @operator, string value)
    {
        var robot = Preset with { Rules = [.. Preset.Rules.Where(r => r.Claim != "ref"), new ClaimRule(claim, @operator, value)], Permissions = [RobotSet.Permission("library", "**", "delete")] };

        Assert.Empty(Lint(robot));
    }

    [Fact]
    public void Lint_ClassicRobotDeletingInAWholeProject_WarnsClassicBroadPermission()
    {
        var warning = Assert.Single(Lint(RobotSet.LegacyPull with { Permissions = [RobotSet.Permission("library", "**", "pull", "delete")] }));

        Assert.Equal(new LintWarning(
            "legacy-pull",
            "classic-broad-permission",
            "is a classic robot whose static secret may delete in every repository of project library (library/**): whoever gets the secret can overwrite or delete every image there; narrow the permission, or replace the robot with a federated one") { Permission = 0 }, warning);
    }

    [Fact]
    public void Lint_TemplatedPushPermission_NotReported() =>
        Assert.DoesNotContain(Lint(RobotSet.OrgCi), w => w.Code == "broad-permission");

    [Fact]
    public void Lint_KeySyncRobotThatAlsoPulls_SaysToGiveKeySyncItsOwnRobot()
    {
        var robot = RobotSet.ClusterPull with
        {
            Rules = [new ClaimRule("sub", ClaimOperator.Equal, "system:serviceaccount:kube-system:berth-key-sync")],
            Permissions = [RobotSet.Permission("*", "**", KeySyncPermission.Action), RobotSet.Permission("library", "**", "pull")],
        };

        var warning = Assert.Single(Lint(robot));

        Assert.Equal(new LintWarning("cluster-pull", "key-sync-with-registry-access", "holds jwks-sync and registry permissions: give key sync a robot of its own, matched only by the sync job's service account"), warning);
    }

    [Fact]
    public void Lint_KeySyncRobotPinnedToOneServiceAccount_NoWarnings() =>
        Assert.Empty(Lint(RobotSet.ClusterPull with
        {
            Rules = [new ClaimRule("sub", ClaimOperator.Equal, "system:serviceaccount:kube-system:berth-key-sync")],
            Permissions = [RobotSet.Permission("*", "**", KeySyncPermission.Action)],
        }));

    private static IReadOnlyList<LintWarning> Lint(RobotDefinition robot) => RobotLinter.Lint(robot, [robot], Providers);
}
