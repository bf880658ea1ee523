using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Berth.Tests.Examples;

/// <summary>Every YAML and JSON file a user copies from <c>examples/</c> parses.</summary>
public sealed class ExampleFileTests
{
    public static TheoryData<string> StructuredFiles() => new(ExampleFiles.StructuredFiles());

    [Fact]
    public void ExamplesFolder_EachSource_HasReadmeAndBerthConfig()
    {
        foreach (var source in new[] { "github-actions", "gitlab-ci", "forgejo-actions", "kubernetes-k3d", "fluxcd", "quick-start" })
        {
            var folder = Path.Combine(ExampleFiles.ExamplesFolder, source);
            Assert.True(File.Exists(Path.Combine(folder, "README.md")), $"{source}/README.md is missing");
            Assert.True(File.Exists(Path.Combine(folder, "berth.yaml")), $"{source}/berth.yaml is missing");
        }
    }

    [Fact]
    public void StructuredFiles_UnderExamples_AreFound()
    {
        var files = ExampleFiles.StructuredFiles();

        Assert.Contains(files, f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StructuredFiles))]
    public void StructuredFile_Parsed_HasAtLeastOneNonEmptyDocument(string relativePath)
    {
        var path = ExampleFiles.FullPath(relativePath);
        if (relativePath.EndsWith(".json", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return;
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        Assert.NotEmpty(yaml.Documents);
        Assert.All(yaml.Documents, document => Assert.IsType<YamlMappingNode>(document.RootNode));
    }

    [Theory]
    [MemberData(nameof(StructuredFiles))]
    public void StructuredFile_Text_HasNoPlaceholderLeftFromHarbor(string relativePath)
    {
        var text = File.ReadAllText(ExampleFiles.FullPath(relativePath));

        Assert.DoesNotContain("<your-registry-domain>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("harbor", text, StringComparison.OrdinalIgnoreCase);
    }
}
