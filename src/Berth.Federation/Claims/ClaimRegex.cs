using System.Text.RegularExpressions;

namespace Berth.Federation.Claims;

/// <summary>The one way rule patterns become regular expressions: linear time and a match timeout.</summary>
internal static class ClaimRegex
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static Regex Create(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Anchors a user pattern so it must match the whole value (<c>\A</c>…<c>\z</c>, not <c>^</c>…<c>$</c>).</summary>
    public static Regex CreateAnchored(string pattern) => Create(@"\A(?:" + pattern + @")\z");

    /// <summary>A timeout counts as no match: rules fail closed.</summary>
    public static bool IsFullMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
