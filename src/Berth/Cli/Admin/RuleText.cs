namespace Berth.Cli.Admin;

/// <summary>
/// The CLI's short forms: rules <c>claim=value</c> (equals), <c>claim~glob</c>, <c>claim=~regex</c>,
/// <c>claim in a,b</c>; permissions <c>pull,push:project/repository-glob</c>.
/// </summary>
internal static class RuleText
{
    /// <returns>A rule in the API's shape, or null with the problem.</returns>
    public static (Dictionary<string, object>? Rule, string? Problem) ParseRule(string text)
    {
        var inAt = text.IndexOf(" in ", StringComparison.Ordinal);
        if (inAt > 0)
        {
            var values = text[(inAt + 4)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return values.Length == 0 ? (null, $"rule '{text}': 'in' needs values, e.g. 'claim in a,b'") : (Rule(text[..inAt].Trim(), "in", values), null);
        }

        var at = text.IndexOfAny(['=', '~']);
        if (at <= 0)
        {
            return (null, $"rule '{text}': use claim=value, claim~glob, claim=~regex or 'claim in a,b'");
        }

        var claim = text[..at];
        return text[at] == '~'
            ? (Rule(claim, "glob", text[(at + 1)..]), null)
            : at + 1 < text.Length && text[at + 1] == '~'
                ? (Rule(claim, "regex", text[(at + 2)..]), null)
                : (Rule(claim, "equals", text[(at + 1)..]), null);
    }

    /// <returns>A permission in the API's shape, or null with the problem.</returns>
    public static (object? Permission, string? Problem) ParseAllow(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return (null, $"--allow '{text}': use actions:project/repository-glob, e.g. pull,push:library/app/**");
        }

        var actions = text[..colon].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var target = text[(colon + 1)..];
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var project = slash < 0 ? target : target[..slash];
        var repositories = slash < 0 ? "**" : target[(slash + 1)..];
        return (new { project, repositories, actions }, null);
    }

    private static Dictionary<string, object> Rule(string claim, string op, object value) => new() { ["claim"] = claim, [op] = value };
}
