using System.Text.RegularExpressions;

namespace Berth.Tests.Cli;

/// <summary>docs/administration.md cannot drift from the CLI: every verb it shows must exist and answer --help.</summary>
public sealed partial class AdministrationGuideTests
{
    public static TheoryData<string> GuideVerbs() => new(Verbs());

    [Theory]
    [MemberData(nameof(GuideVerbs))]
    public async Task Guide_EveryVerbShown_ExistsAndAnswersHelp(string verb)
    {
        var (exit, output, error) = await BerthProcess.RunAsync(null, [.. verb.Split(' '), "--help"]);

        Assert.True(exit == 0, $"berth {verb} --help exited {exit}: {error}");
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_ShowsTheVerbsUsersType()
    {
        var verbs = Verbs();

        Assert.Contains("idp add github", verbs);
        Assert.Contains(verbs, verb => verb.StartsWith("robot add ", StringComparison.Ordinal));
        Assert.True(verbs.Count >= 20, $"{verbs.Count} verbs found");
    }

    private static List<string> Verbs()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "administration.md"));
        return CommandLine().Matches(guide)
            .Select(m => m.Groups["verb"].Value.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Berth.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Berth.slnx not found above the test folder");
    }

    // "berth <verb words>" up to the first argument, option, placeholder or comment.
    [GeneratedRegex(@"^\s+(?:echo .*\| )?berth (?<verb>(?:[a-z][a-z-]*(?: |$))+)", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
