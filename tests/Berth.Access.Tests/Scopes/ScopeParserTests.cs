using Berth.Access.Scopes;

namespace Berth.Access.Tests.Scopes;

public sealed class ScopeParserTests
{
    [Fact]
    public void Parse_SimpleScope_ReturnsTypeNameActions()
    {
        var result = ScopeParser.Parse("repository:library/app:pull,push");

        Assert.False(result.HasInvalid);
        var scope = Assert.Single(result.Scopes);
        Assert.Equal(new ResourceScope("repository", "library/app", ["pull", "push"]), scope);
    }

    [Theory]
    [InlineData("repository:library/app\n:pull")]
    [InlineData("repository\n:library/app:pull")]
    [InlineData("repository:library/app:pull\n")]
    public void Parse_TrailingNewlineInTypeNameOrAction_IsInvalid(string scope)
    {
        var result = ScopeParser.Parse(scope);

        Assert.True(result.HasInvalid);
        Assert.Empty(result.Scopes);
    }

    [Fact]
    public void Parse_NameWithHostAndPort_SplitsAtFirstAndLastColon()
    {
        var scope = Assert.Single(ScopeParser.Parse("repository:localhost:5000/library/app:pull").Scopes);

        Assert.Equal("repository", scope.Type);
        Assert.Equal("localhost:5000/library/app", scope.Name);
        Assert.Equal(["pull"], scope.Actions);
    }

    [Fact]
    public void Parse_PluginClass_IsIgnored()
    {
        var scope = Assert.Single(ScopeParser.Parse("repository(plugin):library/app:pull").Scopes);

        Assert.Equal("repository", scope.Type);
    }

    [Fact]
    public void Parse_RepeatedParameters_ReturnsEveryScope()
    {
        var result = ScopeParser.Parse(["repository:a/b:pull", "repository:c/d:push"]);

        Assert.Equal(["repository:a/b:pull", "repository:c/d:push"], result.Scopes.Select(s => s.ToString()));
    }

    [Fact]
    public void Parse_SpaceSeparatedParameter_ReturnsEveryScope()
    {
        var result = ScopeParser.Parse("repository:a/b:pull  repository:c/d:push registry:catalog:*");

        Assert.Equal(["repository:a/b:pull", "repository:c/d:push", "registry:catalog:*"], result.Scopes.Select(s => s.ToString()));
    }

    [Fact]
    public void Parse_MixedRepeatedAndSpaceSeparated_ReturnsEveryScope()
    {
        var result = ScopeParser.Parse(["repository:a/b:pull repository:c/d:push", "repository:e/f:delete", null, ""]);

        Assert.Equal(3, result.Scopes.Count);
        Assert.False(result.HasInvalid);
    }

    [Fact]
    public void Parse_SameResourceTwice_MergesActions()
    {
        var result = ScopeParser.Parse(["repository:a/b:pull", "repository:a/b:push,pull", "repository:c/d:pull"]);

        Assert.Equal(["repository:a/b:pull,push", "repository:c/d:pull"], result.Scopes.Select(s => s.ToString()));
    }

    [Fact]
    public void Parse_NoScope_ReturnsEmpty()
    {
        var result = ScopeParser.Parse([]);

        Assert.Empty(result.Scopes);
        Assert.False(result.HasInvalid);
    }

    [Fact]
    public void Parse_EmptyActions_IsValidWithoutActions()
    {
        var scope = Assert.Single(ScopeParser.Parse("repository:a/b:").Scopes);

        Assert.Empty(scope.Actions);
    }

    [Theory]
    [InlineData("repository")]
    [InlineData("repository:a/b")]
    [InlineData(":a/b:pull")]
    [InlineData("Repository:a/b:pull")]
    [InlineData("repository(:a/b:pull")]
    [InlineData("repository(plugin:a/b:pull")]
    [InlineData("repository::pull")]
    [InlineData("repository:a/B:pull")]
    [InlineData("repository:a//b:pull")]
    [InlineData("repository:a/b/:pull")]
    [InlineData("repository:/a/b:pull")]
    [InlineData("repository:a/b:PULL")]
    [InlineData("repository:a/b:pull;rm")]
    [InlineData("repository:a/b:pu*")]
    [InlineData("repository:localhost:5000/a")]
    [InlineData("repository:a/b\u0000:pull")]
    public void Parse_InvalidScope_IsReportedNotThrown(string value)
    {
        var result = ScopeParser.Parse([value, "repository:ok/repo:pull"]);

        Assert.Equal([value], result.Invalid);
        Assert.Equal("repository:ok/repo:pull", Assert.Single(result.Scopes).ToString());
    }

    [Fact]
    public void Parse_OverlongName_IsReported()
    {
        var result = ScopeParser.Parse($"repository:a/{new string('b', 300)}:pull");

        Assert.Single(result.Invalid);
        Assert.Empty(result.Scopes);
    }

    [Fact]
    public void Parse_PathologicalName_CompletesQuickly()
    {
        // Would take exponential time with a backtracking matcher of the name grammar.
        var value = "repository:" + string.Concat(Enumerable.Repeat("a-", 120)) + "!:pull";

        var result = ScopeParser.Parse(value);

        Assert.Single(result.Invalid);
    }

    [Theory]
    [InlineData("repository:library/app:pull,push")]
    [InlineData("repository:localhost:5000/a/b:pull")]
    [InlineData("registry:catalog:*")]
    [InlineData("repository:a/b:*")]
    [InlineData("repository:a_b/c__d/e---f.g:delete")]
    public void ToString_ParsedScope_RoundTrips(string value)
    {
        Assert.True(ResourceScope.TryParse(value, out var scope));

        Assert.Equal(value, scope.ToString());
    }

    [Fact]
    public void Equals_SameContentDifferentLists_AreEqual()
    {
        var a = new ResourceScope("repository", "a/b", new List<string> { "pull" });
        var b = new ResourceScope("repository", "a/b", new[] { "pull" });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
