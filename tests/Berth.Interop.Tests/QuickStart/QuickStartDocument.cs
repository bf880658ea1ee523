using System.Text.RegularExpressions;

namespace Berth.Interop.Tests.QuickStart;

/// <summary>The <c>```sh</c> blocks of docs/quick-start.md in order, and the outputs the document promises in comments.</summary>
internal static partial class QuickStartDocument
{
    public static IReadOnlyList<string> ShellBlocks(string markdown) =>
        [.. ShellBlock().Matches(markdown).Select(m => m.Groups["body"].Value.TrimEnd())];

    /// <summary>
    /// What a block says it prints: a whole-line comment <c># … TEXT</c> or <c># WWW-Authenticate: …</c>,
    /// or an inline quoted comment such as <c># "configuration ok"</c>. Other comments explain, they promise nothing.
    /// </summary>
    public static IReadOnlyList<string> ExpectedOutputs(string block)
    {
        var expected = new List<string>();
        foreach (var line in block.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("# … ", StringComparison.Ordinal))
            {
                expected.Add(trimmed["# … ".Length..]);
            }
            else if (trimmed.StartsWith("# WWW-Authenticate: ", StringComparison.Ordinal))
            {
                expected.Add(trimmed[2..]);
            }
            else if (InlineQuotedComment().Match(line) is { Success: true } inline)
            {
                expected.Add(inline.Groups["text"].Value);
            }
        }

        return expected;
    }

    [GeneratedRegex(@"^```sh\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"\S.*#\s+""(?<text>[^""]+)""\s*$")]
    private static partial Regex InlineQuotedComment();
}
