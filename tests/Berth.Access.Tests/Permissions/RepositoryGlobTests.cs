using System.Diagnostics;
using Berth.Access.Permissions;

namespace Berth.Access.Tests.Permissions;

public sealed class RepositoryGlobTests
{
    [Theory]
    [InlineData("app", "app", true)]
    [InlineData("app", "app2", false)]
    [InlineData("app", "app/x", false)]
    [InlineData("*", "app", true)]
    [InlineData("*", "app/x", false)]
    [InlineData("app-*", "app-", true)]
    [InlineData("app-*", "app-web", true)]
    [InlineData("app-*", "app", false)]
    [InlineData("*-web", "shop-web", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("app/*", "app/x", true)]
    [InlineData("app/*", "app/x/y", false)]
    [InlineData("app/*", "app", false)]
    [InlineData("**", "app", true)]
    [InlineData("**", "app/x/y", true)]
    [InlineData("app/**", "app/x", true)]
    [InlineData("app/**", "app/x/y", true)]
    [InlineData("app/**", "app", false)]
    [InlineData("app/**", "apps/x", false)]
    [InlineData("**/cache", "app/cache", true)]
    [InlineData("**/cache", "a/b/cache", true)]
    [InlineData("**/cache", "cache", false)]
    [InlineData("a/**/z", "a/b/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("a/**/z", "a/z", false)]
    [InlineData("a/**/**/z", "a/b/c/z", true)]
    [InlineData("a/**/**/z", "a/b/z", false)]
    [InlineData("team-*/**", "team-a/svc", true)]
    [InlineData("app", "", false)]
    [InlineData("**", "a//b", false)]
    public void IsMatch_Pattern_MatchesAsDocumented(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, RepositoryGlob.Parse(pattern).IsMatch(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/app")]
    [InlineData("app/")]
    [InlineData("a//b")]
    [InlineData("app**")]
    [InlineData("***")]
    [InlineData("App")]
    [InlineData("ci/${repository}")]
    [InlineData("a b")]
    [InlineData("acme:app")]
    public void TryParse_InvalidPattern_ReturnsError(string pattern)
    {
        Assert.False(RepositoryGlob.TryParse(pattern, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Parse_InvalidPattern_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => RepositoryGlob.Parse("a//b"));
    }

    [Fact]
    public void IsMatch_PathologicalPattern_CompletesQuickly()
    {
        var pattern = string.Join('/', Enumerable.Repeat("**", 40)) + "/b";
        var segmentPattern = string.Concat(Enumerable.Repeat("a*", 60)) + "b";
        var path = string.Join('/', Enumerable.Repeat("a", 100));
        var longSegment = new string('a', 200);
        var stopwatch = Stopwatch.StartNew();

        Assert.False(RepositoryGlob.Parse(pattern).IsMatch(path));
        Assert.False(RepositoryGlob.Parse(segmentPattern).IsMatch(longSegment));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
    }
}
