namespace Berth.CredentialProvider.Tests;

public sealed class PluginOptionsTests
{
    [Fact]
    public void TryParse_NoArgsNoEnv_DefaultsToRegistry()
    {
        Assert.True(PluginOptions.TryParse([], null, out var options, out _));
        Assert.Equal("Registry", options.CacheKeyType);
    }

    [Theory]
    [InlineData("Image", "Image")]
    [InlineData("image", "Image")]
    [InlineData("GLOBAL", "Global")]
    [InlineData("Registry", "Registry")]
    public void TryParse_CacheKeyTypeFlag_Normalizes(string value, string expected)
    {
        Assert.True(PluginOptions.TryParse(["--cache-key-type", value], null, out var options, out _));
        Assert.Equal(expected, options.CacheKeyType);
        Assert.True(PluginOptions.TryParse([$"--cache-key-type={value}"], null, out options, out _));
        Assert.Equal(expected, options.CacheKeyType);
    }

    [Fact]
    public void TryParse_EnvironmentOnly_UsesEnvironment()
    {
        Assert.True(PluginOptions.TryParse([], "Image", out var options, out _));
        Assert.Equal("Image", options.CacheKeyType);
    }

    [Fact]
    public void TryParse_FlagAndEnvironment_FlagWins()
    {
        Assert.True(PluginOptions.TryParse(["--cache-key-type", "Global"], "Image", out var options, out _));
        Assert.Equal("Global", options.CacheKeyType);
    }

    [Fact]
    public void TryParse_UnknownCacheKeyType_FailsNamingSource()
    {
        Assert.False(PluginOptions.TryParse([], "Pod", out _, out var error));
        Assert.Contains("BERTH_CACHE_KEY_TYPE", error, StringComparison.Ordinal);
        Assert.False(PluginOptions.TryParse(["--cache-key-type", "Token"], null, out _, out error));
        Assert.Contains("--cache-key-type \"Token\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_FlagWithoutValue_Fails()
    {
        Assert.False(PluginOptions.TryParse(["--cache-key-type"], null, out _, out var error));
        Assert.Contains("needs a value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_UnknownArgument_FailsWithUsage()
    {
        Assert.False(PluginOptions.TryParse(["get-credentials"], null, out _, out var error));
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Help_ShowsHelp()
    {
        Assert.True(PluginOptions.TryParse(["--help"], null, out var options, out _));
        Assert.True(options.ShowHelp);
    }
}
