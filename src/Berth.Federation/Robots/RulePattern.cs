using System.Text;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// What the linter needs to know about a rule's pattern: the literal text each alternative starts with
/// before its first wildcard, and how many separated fields that text fixes. A glob
/// <c>repo:acme/*:*</c> starts with <c>repo:acme/</c>, which fixes two <c>:</c>-fields (<c>repo</c> and a
/// partial <c>acme/</c>), so the repository and the kind of run are left open.
/// </summary>
internal static class RulePattern
{
    private const string RegexMetacharacters = @".*+?()[]{}|^$\";

    /// <summary>True for equals, in, and globs without <c>*</c>: the rule names its values outright.</summary>
    public static bool IsExact(ClaimRule rule) => rule.Operator switch
    {
        ClaimOperator.Equal or ClaimOperator.In => true,
        ClaimOperator.Glob => !rule.Values[0].Contains('*', StringComparison.Ordinal),
        _ => LiteralPrefixes(rule).All(prefix => prefix.Complete),
    };

    /// <summary>
    /// The fewest fields, split at <paramref name="separator"/>, that any alternative of the pattern fixes
    /// before a wildcard (a partial field counts); <see cref="int.MaxValue"/> for an exact rule.
    /// </summary>
    public static int FixedFields(ClaimRule rule, char separator) =>
        IsExact(rule) ? int.MaxValue : LiteralPrefixes(rule).Min(prefix => Fields(prefix.Text, separator));

    /// <summary>The literal start of the pattern, one per top-level alternative of a regex.</summary>
    public static IReadOnlyList<(string Text, bool Complete)> LiteralPrefixes(ClaimRule rule) => rule.Operator switch
    {
        ClaimOperator.Glob => [(rule.Values[0].Split('*')[0], !rule.Values[0].Contains('*', StringComparison.Ordinal))],
        ClaimOperator.Regex => TopLevelAlternatives(rule.Values[0]).Select(RegexLiteralPrefix).ToList(),
        _ => [.. rule.Values.Select(v => (v, true))],
    };

    /// <summary>Splits a regex at <c>|</c> outside groups and character classes.</summary>
    public static IReadOnlyList<string> TopLevelAlternatives(string pattern)
    {
        var alternatives = new List<string>();
        var (depth, inClass, start) = (0, false, 0);
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when !inClass:
                    inClass = true;
                    break;
                case ']' when inClass:
                    inClass = false;
                    break;
                case '(' when !inClass:
                    depth++;
                    break;
                case ')' when !inClass:
                    depth--;
                    break;
                case '|' when !inClass && depth == 0:
                    alternatives.Add(pattern[start..i]);
                    start = i + 1;
                    break;
            }
        }

        alternatives.Add(pattern[start..]);
        return alternatives;
    }

    private static (string Text, bool Complete) RegexLiteralPrefix(string alternative)
    {
        var text = new StringBuilder();
        var i = alternative.StartsWith('^') ? 1 : 0;
        for (; i < alternative.Length; i++)
        {
            var c = alternative[i];
            if (c == '\\' && i + 1 < alternative.Length && !char.IsLetterOrDigit(alternative[i + 1]))
            {
                text.Append(alternative[++i]);
                continue;
            }

            if (RegexMetacharacters.Contains(c, StringComparison.Ordinal))
            {
                // A quantifier applies to the character before it, which is therefore not fixed.
                if (c is '*' or '+' or '?' or '{' && text.Length > 0)
                {
                    text.Length--;
                }

                var rest = alternative[i..];
                return (text.ToString(), rest is "$" || rest.Length == 0);
            }

            text.Append(c);
        }

        return (text.ToString(), true);
    }

    private static int Fields(string prefix, char separator)
    {
        var separators = prefix.Count(c => c == separator);
        return separators + (prefix.EndsWith(separator) || prefix.Length == 0 ? 0 : 1);
    }
}
