using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Registry.Content;

/// <summary>Repository name and tag grammar of the OCI distribution spec.</summary>
public static partial class Names
{
    /// <summary>Clients limit host + '/' + name to 255 characters; the name alone can be no longer.</summary>
    public const int MaxRepositoryLength = 255;

    public static bool IsValidRepository([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxRepositoryLength } && RepositoryPattern().IsMatch(name);

    public static bool IsValidTag([NotNullWhen(true)] string? tag) => tag is not null && TagPattern().IsMatch(tag);

    // \z, not $: $ also matches before a trailing newline, which would let "name\n" through.
    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
