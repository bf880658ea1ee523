using Berth.Tests.Cli;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Berth.Tests.Examples;

/// <summary>
/// Every Berth configuration in <c>examples/</c> is accepted by <c>berth serve --check-config</c>, run
/// from its own folder, and every sample claim set matches the robot it is named after.
/// </summary>
public sealed class ExampleConfigTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("berth-examples-").FullName;

    public static TheoryData<string> BerthConfigs() => new(ExampleFiles.BerthConfigs());

    public static TheoryData<string> SampleClaims() => new(ExampleFiles.SampleClaims());

    [Fact]
    public void BerthConfigs_UnderExamples_CoverEverySource()
    {
        var configs = ExampleFiles.BerthConfigs();

        foreach (var source in new[] { "github-actions", "gitlab-ci", "forgejo-actions", "kubernetes-k3d", "fluxcd", "quick-start" })
        {
            Assert.Contains($"{source}/berth.yaml", configs);
        }
    }

    [Theory]
    [MemberData(nameof(BerthConfigs))]
    public async Task BerthConfig_CheckConfig_ExitsZero(string relativePath)
    {
        var path = ExampleFiles.FullPath(relativePath);

        // Run from elsewhere on purpose: a relative jwksFile resolves against the config file's folder.
        var (exit, output, error) = await BerthProcess.RunAsync(null, "serve", "--config", path, "--data", data, "--check-config");

        Assert.True(exit == 0, $"berth serve --check-config --config {relativePath} exited {exit}: {error}{output}");
        Assert.Contains("configuration ok", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BerthConfigs))]
    public void BerthConfig_JwksFile_IsAFileInTheExampleFolderWithASigningKey(string relativePath)
    {
        var path = ExampleFiles.FullPath(relativePath);
        var folder = Path.GetDirectoryName(path)!;

        foreach (var jwksFile in JwksFiles(path))
        {
            Assert.False(Path.IsPathRooted(jwksFile), $"{relativePath}: jwksFile '{jwksFile}' must be relative to the example folder");
            var full = Path.GetFullPath(Path.Combine(folder, jwksFile));
            Assert.Equal(folder, Path.GetDirectoryName(full));
            Assert.True(File.Exists(full), $"{relativePath}: jwksFile '{jwksFile}' does not exist");

            using var jwks = JsonDocument.Parse(File.ReadAllText(full));
            var keys = jwks.RootElement.GetProperty("keys");
            Assert.NotEqual(0, keys.GetArrayLength());
            Assert.All(keys.EnumerateArray(), key =>
            {
                Assert.False(key.TryGetProperty("d", out _), "a shipped JWKS must hold public keys only");
                Assert.True(key.TryGetProperty("kid", out _), "every key needs a kid");
            });
        }
    }

    [Theory]
    [MemberData(nameof(SampleClaims))]
    public async Task SampleClaims_Explained_MatchTheRobotTheyAreNamedAfter(string relativePath)
    {
        var path = ExampleFiles.FullPath(relativePath);
        var folder = Path.GetDirectoryName(path)!;
        var robot = Path.GetFileName(path)[..^".claims.json".Length];

        var (exit, output, error) = await BerthProcess.RunAsync(null, "explain", "--config", Path.Combine(folder, "berth.yaml"), "--claims-file", path, "--robot", robot);

        Assert.True(exit == 0, $"{relativePath} does not match robot '{robot}' (exit {exit}): {output}{error}");
        Assert.Contains(robot, output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    private static IEnumerable<string> JwksFiles(string configPath)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(configPath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("identityProviders"), out var providers))
        {
            yield break;
        }

        foreach (var provider in ((YamlSequenceNode)providers).Children.OfType<YamlMappingNode>())
        {
            if (provider.Children.TryGetValue(new YamlScalarNode("jwksFile"), out var file))
            {
                yield return ((YamlScalarNode)file).Value!;
            }
        }
    }
}
