using System.Text.RegularExpressions;

namespace Berth.Access.Permissions;

/// <summary>A repository name as the OCI distribution spec allows it (no host, no tag).</summary>
internal static partial class RepositoryName
{
    public static bool IsValid(string name) => name.Length is > 0 and <= 255 && NameRegex().IsMatch(name);

    // \z, not $: $ also matches before a trailing newline, which would let "name\n" through.
    [GeneratedRegex(
        "\\A[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex NameRegex();
}
