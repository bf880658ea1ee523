using System.Text.Json;
using Berth.Cli.Admin;

namespace Berth.AdminClient.Tests;

/// <summary><c>robot show</c> prints rules and permissions as users type them: formatting what parsing made gives the text back.</summary>
public sealed class RuleTextTests
{
    [Theory]
    [InlineData("repository_owner_id=46576199")]
    [InlineData("ref~refs/heads/*")]
    [InlineData("job_workflow_ref=~acme/app/.github/workflows/release.yml@.*")]
    [InlineData("kubernetes.io.namespace in build,release")]
    public void FormatRule_ParsedShortForm_GivesTheTypedTextBack(string typed)
    {
        var (rule, _) = RuleText.ParseRule(typed);

        Assert.Equal(typed, RuleText.FormatRule(AsJson(rule!)));
    }

    [Fact]
    public void FormatRule_EqualsValueStartingWithTilde_ShownAsJsonSinceClaimEqualsTildeMeansRegex()
    {
        using var rule = JsonDocument.Parse("""{"claim":"ref","equals":"~main"}""");

        Assert.Equal("""{"claim":"ref","equals":"~main"}""", RuleText.FormatRule(rule.RootElement));
    }

    [Theory]
    [InlineData("pull,push:library/app/**")]
    [InlineData("pull:*/**")]
    [InlineData("jwks-sync")]
    public void FormatAllow_ParsedPermission_GivesTheTypedTextBack(string typed)
    {
        var (permission, _) = RuleText.ParseAllow(typed);

        Assert.Equal(typed, RuleText.FormatAllow(AsJson(permission!)));
    }

    private static JsonElement AsJson(object value) => JsonSerializer.SerializeToElement(value, AdminJson.Options);
}
