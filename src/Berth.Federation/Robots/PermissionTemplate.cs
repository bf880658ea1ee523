using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Access.Permissions;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// Substitutes <c>${claim.path}</c> in a permission's project and repositories with claim values. A value
/// that is not a valid repository path (lowercase <c>[a-z0-9._-]</c> components separated by <c>/</c>, no
/// <c>..</c>, no glob characters), or not a single component for the project, drops the permission.
/// </summary>
internal static partial class PermissionTemplate
{
    [GeneratedRegex(@"\$\{([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\A[a-z0-9._-]+(?:/[a-z0-9._-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    public static bool IsTemplated(Permission permission) =>
        permission.Project.Contains("${", StringComparison.Ordinal) || permission.Repositories.Contains("${", StringComparison.Ordinal);

    /// <summary>Problems with the placeholders themselves (unclosed, bad claim path); empty when fine.</summary>
    public static IReadOnlyList<string> Problems(string text)
    {
        var problems = new List<string>();
        var stripped = Placeholder().Replace(text, m =>
        {
            try
            {
                _ = new ClaimPath(m.Groups[1].Value);
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }

            return string.Empty;
        });
        if (stripped.Contains("${", StringComparison.Ordinal))
        {
            problems.Add($"'{text}' has an unclosed ${{ placeholder");
        }

        return problems;
    }

    /// <summary>The permission with claims substituted, or null and why it was dropped.</summary>
    public static Permission? Expand(Permission permission, JsonElement claims, out string? dropped)
    {
        dropped = null;
        if (!IsTemplated(permission))
        {
            return permission;
        }

        var project = Substitute(permission.Project, claims, singleComponent: true, ref dropped);
        var repositories = Substitute(permission.Repositories, claims, singleComponent: false, ref dropped);
        return dropped is null ? permission with { Project = project, Repositories = repositories } : null;
    }

    private static string Substitute(string text, JsonElement claims, bool singleComponent, ref string? dropped)
    {
        string? problem = null;
        var result = Placeholder().Replace(text, m =>
        {
            var path = m.Groups[1].Value;
            if (!new ClaimPath(path).TryResolve(claims, out var value) || ClaimValues.Scalar(value) is not { } replacement)
            {
                problem ??= $"'{text}': claim {path} is missing or not a single value";
                return string.Empty;
            }

            if (!IsValidPath(replacement) || (singleComponent && replacement.Contains('/', StringComparison.Ordinal)))
            {
                problem ??= $"'{text}': claim {path} = '{replacement}' is not a valid {(singleComponent ? "project name" : "repository path")}";
            }

            return replacement;
        });
        dropped ??= problem;
        return result;
    }

    private static bool IsValidPath(string value) =>
        RepositoryPath().IsMatch(value)
        && !value.Contains("..", StringComparison.Ordinal)
        && value.Split('/').All(component => component != ".");
}
