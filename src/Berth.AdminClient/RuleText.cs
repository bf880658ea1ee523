using System.Text.Json;
using Berth.Federation.Claims;
using Berth.Federation.Robots;

namespace Berth.Cli.Admin;

/// <summary>
/// The CLI's short forms: rules <c>claim=value</c> (equals), <c>claim~glob</c>, <c>claim=~regex</c>,
/// <c>claim in a,b</c>; permissions <c>pull,push:project/repository-glob</c>. Parsed into the API's shape,
/// and formatted back from it so <c>berth robot show</c> prints what users type.
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
            return values.Length == 0 ? (null, $"rule '{text}': 'in' needs values, e.g. 'claim in a,b'") : (Rule(text[..inAt].Trim(), ClaimOperators.InRow.Name, values), null);
        }

        var at = text.IndexOfAny(['=', '~']);
        if (at <= 0)
        {
            return (null, $"rule '{text}': use claim=value, claim~glob, claim=~regex or 'claim in a,b'");
        }

        var claim = text[..at];
        return text[at] == '~'
            ? (Rule(claim, ClaimOperators.GlobRow.Name, text[(at + 1)..]), null)
            : at + 1 < text.Length && text[at + 1] == '~'
                ? (Rule(claim, ClaimOperators.RegexRow.Name, text[(at + 2)..]), null)
                : (Rule(claim, ClaimOperators.EqualsRow.Name, text[(at + 1)..]), null);
    }

    /// <returns>A permission in the API's shape, or null with the problem.</returns>
    public static (object? Permission, string? Problem) ParseAllow(string text)
    {
        if (text == KeySyncPermission.Action)
        {
            // Not a registry action: it names no repositories (key sync for the robot's own identity provider).
            return (new { actions = new[] { KeySyncPermission.Action } }, null);
        }

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

    /// <returns>Every rule in the API's shape, or null with the first problem.</returns>
    public static (List<object>? Rules, string? Problem) ParseRules(IEnumerable<string> texts) => ParseAll(texts, ParseRule);

    /// <returns>Every permission in the API's shape, or null with the first problem.</returns>
    public static (List<object>? Permissions, string? Problem) ParseAllows(IEnumerable<string> texts) => ParseAll(texts, ParseAllow);

    /// <summary>
    /// A rule of the API (<c>{claim, equals|glob|regex|in}</c>) in <c>--rule</c> syntax. The few rules the
    /// short forms cannot say without changing meaning (an equals value starting with <c>~</c>, an <c>in</c>
    /// value holding a comma, a claim holding <c>=</c>, <c>~</c> or <c> in </c>) are shown as JSON instead.
    /// </summary>
    public static string FormatRule(JsonElement rule)
    {
        var claim = rule.TryGetProperty("claim", out var c) ? c.GetString() ?? string.Empty : string.Empty;
        var typeable = claim.IndexOfAny(['=', '~']) < 0 && !claim.Contains(" in ", StringComparison.Ordinal);
        string? text = null;
        if (rule.TryGetProperty(ClaimOperators.EqualsRow.Name, out var equals) && equals.ValueKind == JsonValueKind.String && !equals.GetString()!.StartsWith('~'))
        {
            text = $"{claim}={equals.GetString()}";
        }
        else if (rule.TryGetProperty(ClaimOperators.GlobRow.Name, out var glob) && glob.ValueKind == JsonValueKind.String)
        {
            text = $"{claim}~{glob.GetString()}";
        }
        else if (rule.TryGetProperty(ClaimOperators.RegexRow.Name, out var regex) && regex.ValueKind == JsonValueKind.String)
        {
            text = $"{claim}=~{regex.GetString()}";
        }
        else if (rule.TryGetProperty(ClaimOperators.InRow.Name, out var values) && values.ValueKind == JsonValueKind.Array
            && values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && !v.GetString()!.Contains(',', StringComparison.Ordinal)))
        {
            text = $"{claim} in {string.Join(',', values.EnumerateArray().Select(v => v.GetString()))}";
        }

        return typeable && text is not null ? text : rule.GetRawText();
    }

    /// <summary>A permission of the API (<c>{project, repositories, actions}</c>) in <c>--allow</c> syntax.</summary>
    public static string FormatAllow(JsonElement permission)
    {
        var actions = permission.TryGetProperty("actions", out var a) && a.ValueKind == JsonValueKind.Array
            ? string.Join(',', a.EnumerateArray().Select(v => v.GetString()))
            : string.Empty;
        if (actions == KeySyncPermission.Action)
        {
            return actions;
        }

        var project = permission.TryGetProperty("project", out var p) ? p.GetString() : null;
        var repositories = permission.TryGetProperty("repositories", out var r) ? r.GetString() : null;
        return $"{actions}:{project}/{repositories}";
    }

    private static (List<object>? Parsed, string? Problem) ParseAll<T>(IEnumerable<string> texts, Func<string, (T? Value, string? Problem)> parse)
        where T : class
    {
        var parsed = new List<object>();
        foreach (var text in texts)
        {
            var (value, problem) = parse(text);
            if (value is null)
            {
                return (null, problem);
            }

            parsed.Add(value);
        }

        return (parsed, null);
    }

    private static Dictionary<string, object> Rule(string claim, string op, object value) => new() { ["claim"] = claim, [op] = value };
}
