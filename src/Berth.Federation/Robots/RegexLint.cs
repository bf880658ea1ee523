using System.Text;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// Lint 5: regexes that do not say what their author meant, given how Berth anchors them
/// (<see cref="ClaimRegex.CreateAnchored"/> wraps the pattern as <c>\A(?:pattern)\z</c>). Reported:
/// a leading <c>.*</c> or <c>.+</c>, which undoes the start anchor (<c>.*acme/app</c> accepts
/// <c>evil-acme/app</c>); an unescaped <c>.</c> between literal characters (<c>release.yml</c>
/// accepts <c>releaseXyml</c>); and top-level alternation (<c>main|release-.*</c>): Berth groups it, so
/// each alternative is anchored, but the same text reads as "starts with main or ends with release-…"
/// in most other tools, and it is the shape of an injection such as <c>acme/app)|(.*</c>, so it is
/// worth a second look (a group, or <c>in</c> for exact values, says the same unambiguously). Not
/// reported: redundant <c>^</c>/<c>$</c>, and a trailing <c>.*</c> (a deliberate "starts with", e.g.
/// <c>…release\.yml@.*</c>).
/// A pattern that is nothing but wildcards is the broad-pattern lint's concern, not this one's.
/// </summary>
internal static class RegexLint
{
    public static IEnumerable<LintWarning> Check(RobotDefinition robot)
    {
        foreach (var (rule, index) in robot.Rules.Select((r, i) => (r, i)).Where(p => p.r.Operator == ClaimOperator.Regex))
        {
            var pattern = rule.Values[0];
            if (RulePattern.TopLevelAlternatives(pattern).Select(LeadingWildcard).FirstOrDefault(w => w is not null) is { } wildcard)
            {
                yield return new LintWarning(
                    robot.Name,
                    LintCodes.RegexLeadingWildcard,
                    $"regex '{pattern}' on {rule.Claim} starts with '{wildcard}', so any value that merely ends with the rest matches (Berth already anchors regexes at both ends): drop the leading '{wildcard}' and write the value from its start") { Rule = index };
            }

            if (RulePattern.TopLevelAlternatives(pattern) is { Count: > 1 } alternatives)
            {
                yield return new LintWarning(
                    robot.Name,
                    LintCodes.RegexTopLevelAlternation,
                    $"regex '{pattern}' on {rule.Claim} has {alternatives.Count} top-level alternatives: Berth anchors the whole pattern, so each must match the entire value; say so explicitly with a group, '({pattern})', or use 'in' for a list of exact values") { Rule = index };
            }

            if (UnescapedDots(pattern) is { Count: > 0 } dots)
            {
                yield return new LintWarning(
                    robot.Name,
                    LintCodes.RegexUnescapedDot,
                    $"regex '{pattern}' on {rule.Claim} has an unescaped '.' in '{Word(pattern, dots[0])}', which matches any character, not only a dot: write '{Escape(pattern, dots)}'") { Rule = index };
            }
        }
    }

    /// <summary><c>.*</c> or <c>.+</c> at the start of an alternative (after <c>^</c> or an opening group) followed by something.</summary>
    private static string? LeadingWildcard(string alternative)
    {
        var rest = alternative.TrimStart('^', '(');
        rest = rest.StartsWith("?:", StringComparison.Ordinal) ? rest[2..] : rest;
        if (rest.Length < 2 || rest[0] != '.' || rest[1] is not ('*' or '+'))
        {
            return null;
        }

        var after = rest[2..].TrimStart('?').TrimEnd('$', ')');
        return after.Length == 0 || after is ".*" or ".+" ? null : rest[..2];
    }

    /// <summary>Positions of <c>.</c> outside classes and escapes, between a literal word character (or <c>/</c>) and a letter or digit.</summary>
    private static List<int> UnescapedDots(string pattern)
    {
        var dots = new List<int>();
        var inClass = false;
        var previousIsLiteral = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                previousIsLiteral = false;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                previousIsLiteral = false;
                continue;
            }

            if (c == '.' && previousIsLiteral && i + 1 < pattern.Length && char.IsLetterOrDigit(pattern[i + 1]))
            {
                dots.Add(i);
            }

            inClass = c == '[';
            previousIsLiteral = char.IsLetterOrDigit(c) || c is '-' or '_' or '/';
        }

        return dots;
    }

    private static string Word(string pattern, int dot)
    {
        static bool IsWord(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';
        var start = dot;
        while (start > 0 && IsWord(pattern[start - 1]))
        {
            start--;
        }

        var end = dot + 1;
        while (end < pattern.Length && IsWord(pattern[end]))
        {
            end++;
        }

        return pattern[start..end];
    }

    private static string Escape(string pattern, List<int> dots)
    {
        var escaped = new StringBuilder(pattern);
        foreach (var dot in Enumerable.Reverse(dots))
        {
            escaped.Insert(dot, '\\');
        }

        return escaped.ToString();
    }
}
