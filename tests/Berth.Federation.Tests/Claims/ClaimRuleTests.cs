using System.Text.Json;
using Berth.Federation.Claims;
using Berth.Federation.Tests.Support;

namespace Berth.Federation.Tests.Claims;

public sealed class ClaimRuleTests
{
    private static readonly JsonElement GitHub = SeedClaims.Element(SeedClaims.GitHubAt(FederationHarness.Start));
    private static readonly JsonElement GitLab = SeedClaims.Element(SeedClaims.GitLabAt(FederationHarness.Start));
    private static readonly JsonElement Kubernetes = SeedClaims.Element(SeedClaims.KubernetesAt(FederationHarness.Start));

    [Theory]
    [InlineData("repository", "container-registry/federated-idp-examples", true)]
    [InlineData("repository", "container-registry/federated-idp-example", false)]
    [InlineData("repository", "Container-Registry/federated-idp-examples", false)]
    [InlineData("ref_protected", "false", true)]
    public void Matches_Equals_IsExactAndOrdinal(string claim, string value, bool expected) =>
        Assert.Equal(expected, new ClaimRule(claim, ClaimOperator.Equal, value).Matches(GitHub));

    [Fact]
    public void Matches_EqualsStringRuleOnNumberClaim_ComparesJsonText()
    {
        using var numeric = JsonDocument.Parse("""{"repository_owner_id":46576199}""");

        Assert.True(new ClaimRule("repository_owner_id", ClaimOperator.Equal, "46576199").Matches(numeric.RootElement));
        Assert.True(new ClaimRule("repository_owner_id", ClaimOperator.Equal, "46576199").Matches(GitHub));
        Assert.True(new ClaimRule("runner_id", ClaimOperator.Equal, "47561171").Matches(GitLab));
        Assert.False(new ClaimRule("runner_id", ClaimOperator.Equal, "4756117").Matches(GitLab));
    }

    [Fact]
    public void Matches_BooleanClaim_ComparesJsonText()
    {
        using var document = JsonDocument.Parse("""{"ref_protected":true}""");

        Assert.True(new ClaimRule("ref_protected", ClaimOperator.Equal, "true").Matches(document.RootElement));
    }

    [Theory]
    [InlineData("refs/heads/*", true)]
    [InlineData("refs/*", false)]
    [InlineData("refs/**", true)]
    [InlineData("refs/heads/m*", true)]
    [InlineData("refs/heads/main*", true)]
    [InlineData("refs/heads/x*", false)]
    [InlineData("refs/heads/main", true)]
    [InlineData("*", false)]
    [InlineData("**", true)]
    public void Matches_GlobOnRef_StarStaysInSegment(string glob, bool expected) =>
        Assert.Equal(expected, new ClaimRule("ref", ClaimOperator.Glob, glob).Matches(GitHub));

    [Theory]
    [InlineData("system:serviceaccount:*:*", true)]
    [InlineData("system:serviceaccount:*", false)]
    [InlineData("system:serviceaccount:**", true)]
    [InlineData("system:serviceaccount:default:*", true)]
    [InlineData("system:serviceaccount:kube-system:*", false)]
    public void Matches_GlobOnKubernetesSubject_ColonSeparatesSegments(string glob, bool expected) =>
        Assert.Equal(expected, new ClaimRule("sub", ClaimOperator.Glob, glob).Matches(Kubernetes));

    [Theory]
    [InlineData("repo:container-registry/*:ref:refs/heads/main", true)]
    [InlineData("repo:container-registry/**", true)]
    [InlineData("repo:*/federated-idp-examples:**", true)]
    [InlineData("repo:container-registry/*", false)]
    [InlineData("repo:container-registry/federated-idp-examples:ref:refs/heads/*", true)]
    [InlineData("repo:container-registry/fed.rated-idp-examples:**", false)]
    public void Matches_GlobOnGitHubSubject_LiteralCharactersAreNotRegex(string glob, bool expected) =>
        Assert.Equal(expected, new ClaimRule("sub", ClaimOperator.Glob, glob).Matches(GitHub));

    [Theory]
    [InlineData(@"container-registry/federated-idp-examples/\.github/workflows/example_1\.yml@refs/heads/(main|release-.*)", true)]
    [InlineData(@"container-registry/.*", true)]
    [InlineData(@"container-registry", false)]
    [InlineData(@"federated-idp-examples", false)]
    [InlineData(@".*refs/heads/mai", false)]
    public void Matches_Regex_IsAnchoredFullMatch(string pattern, bool expected) =>
        Assert.Equal(expected, new ClaimRule("job_workflow_ref", ClaimOperator.Regex, pattern).Matches(GitHub));

    [Fact]
    public void Matches_RegexDollar_DoesNotAcceptTrailingNewline()
    {
        using var document = JsonDocument.Parse("""{"ref":"main\n"}""");

        Assert.False(new ClaimRule("ref", ClaimOperator.Regex, "main").Matches(document.RootElement));
    }

    [Fact]
    public void Matches_RegexCatastrophicPattern_RunsInLinearTime()
    {
        using var document = JsonDocument.Parse($$"""{"ref":"{{new string('a', 50_000)}}!"}""");

        Assert.False(new ClaimRule("ref", ClaimOperator.Regex, "(a+)+$").Matches(document.RootElement));
    }

    [Theory]
    [InlineData("acme/app)|(.*")]
    [InlineData("acme/app)(?:x")]
    [InlineData("(acme/app")]
    public void Constructor_RegexThatDoesNotStandAlone_IsRefused(string pattern)
    {
        var error = Assert.Throws<ArgumentException>(() => new ClaimRule("repository", ClaimOperator.Regex, pattern));

        Assert.Contains("must be a complete regular expression on its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RegexWithBackreference_ThrowsNamingClaim()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClaimRule("ref", ClaimOperator.Regex, @"(a)\1"));

        Assert.Contains("rule on 'ref'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "push", "workflow_dispatch" }, true)]
    [InlineData(new[] { "push" }, false)]
    public void Matches_In_OneOfList(string[] values, bool expected) =>
        Assert.Equal(expected, new ClaimRule("event_name", ClaimOperator.In, values).Matches(GitHub));

    [Fact]
    public void Matches_InOnNestedDottedKey_MatchesNamespace()
    {
        Assert.True(new ClaimRule("kubernetes.io.namespace", ClaimOperator.In, ["build", "default"]).Matches(Kubernetes));
        Assert.False(new ClaimRule("kubernetes.io.namespace", ClaimOperator.In, ["build", "release"]).Matches(Kubernetes));
    }

    [Fact]
    public void Matches_ArrayClaim_AnyElementMatches()
    {
        Assert.True(new ClaimRule("aud", ClaimOperator.Equal, SeedClaims.Audience).Matches(Kubernetes));
        using var document = JsonDocument.Parse("""{"groups":["dev",7,"ops"]}""");
        Assert.True(new ClaimRule("groups", ClaimOperator.Glob, "o*").Matches(document.RootElement));
        Assert.True(new ClaimRule("groups", ClaimOperator.In, ["7"]).Matches(document.RootElement));
        Assert.False(new ClaimRule("groups", ClaimOperator.Equal, "qa").Matches(document.RootElement));
    }

    [Theory]
    [InlineData(ClaimOperator.Equal, "")]
    [InlineData(ClaimOperator.Glob, "**")]
    [InlineData(ClaimOperator.Regex, ".*")]
    [InlineData(ClaimOperator.In, "")]
    public void Matches_MissingClaim_NeverMatches(ClaimOperator @operator, string value) =>
        Assert.False(new ClaimRule("environment", @operator, value).Matches(GitHub));

    [Fact]
    public void Matches_ObjectClaim_NeverMatches() =>
        Assert.False(new ClaimRule("kubernetes.io", ClaimOperator.Glob, "**").Matches(Kubernetes));

    [Fact]
    public void Constructor_WrongValueCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ClaimRule("ref", ClaimOperator.Equal, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new ClaimRule("ref", ClaimOperator.In, []));
    }

    [Theory]
    [InlineData("equals", ClaimOperator.Equal)]
    [InlineData("glob", ClaimOperator.Glob)]
    [InlineData("regex", ClaimOperator.Regex)]
    [InlineData("in", ClaimOperator.In)]
    public void OperatorName_EachOperator_IsItsConfigName(string name, ClaimOperator @operator)
    {
        Assert.Equal(name, new ClaimRule("x", @operator, ["v"]).OperatorName);
    }
}
