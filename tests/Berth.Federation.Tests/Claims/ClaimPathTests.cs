using System.Text.Json;
using Berth.Federation.Claims;
using Berth.Federation.Tests.Support;

namespace Berth.Federation.Tests.Claims;

public sealed class ClaimPathTests
{
    private static readonly JsonElement Kubernetes = SeedClaims.Element(SeedClaims.KubernetesAt(FederationHarness.Start));

    [Theory]
    [InlineData("kubernetes.io.namespace", "default")]
    [InlineData("kubernetes.io.serviceaccount.name", "default")]
    [InlineData("kubernetes.io.pod.name", "httpd")]
    [InlineData("kubernetes.io.node.uid", "c922a6dd-d8af-4877-8a09-922898d7ddb5")]
    [InlineData("sub", "system:serviceaccount:default:default")]
    public void TryResolve_DottedKeyInKubernetesToken_ReachesNestedValue(string path, string expected)
    {
        Assert.True(new ClaimPath(path).TryResolve(Kubernetes, out var value));
        Assert.Equal(expected, value.GetString());
    }

    [Fact]
    public void TryResolve_FlatKeyWithDotsAndNestedAlternative_PrefersLongestKey()
    {
        using var document = JsonDocument.Parse("""{"a.b":"flat","a":{"b":"nested"}}""");

        Assert.True(new ClaimPath("a.b").TryResolve(document.RootElement, out var value));
        Assert.Equal("flat", value.GetString());
    }

    [Fact]
    public void TryResolve_LongestPrefixDeadEnds_FallsBackToShorterKey()
    {
        using var document = JsonDocument.Parse("""{"a.b":"leaf","a":{"b":{"c":"deep"}}}""");

        Assert.True(new ClaimPath("a.b.c").TryResolve(document.RootElement, out var value));
        Assert.Equal("deep", value.GetString());
    }

    [Theory]
    [InlineData("kubernetes.io.missing")]
    [InlineData("kubernetes")]
    [InlineData("sub.x")]
    [InlineData("nothing")]
    public void TryResolve_AbsentPath_IsMissing(string path) =>
        Assert.False(new ClaimPath(path).TryResolve(Kubernetes, out _));

    [Fact]
    public void TryResolve_JsonNull_IsMissing()
    {
        using var document = JsonDocument.Parse("""{"environment":null}""");

        Assert.False(new ClaimPath("environment").TryResolve(document.RootElement, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".sub")]
    [InlineData("sub.")]
    [InlineData("a..b")]
    public void Constructor_EmptySegment_Throws(string path) =>
        Assert.Throws<ArgumentException>(() => new ClaimPath(path));
}
