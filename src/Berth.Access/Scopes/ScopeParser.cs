using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Access.Scopes;

/// <summary>
/// The Docker scope grammar (distribution <c>docs/content/spec/auth/scope.md</c>):
/// <code>
/// scope         := resourcescope [ ' ' resourcescope ]*
/// resourcescope := resourcetype ":" resourcename ":" action [ ',' action ]*
/// resourcetype  := /[a-z0-9]+/ [ '(' /[a-z0-9]+/ ')' ]
/// resourcename  := [ hostname '/' ] component [ '/' component ]*
/// action        := /[a-z]*/ | '*'
/// </code>
/// The name may hold one ':' (a host:port), so the type ends at the first ':' and the actions start after
/// the last ':'. The class in <c>repository(plugin)</c> is deprecated and dropped. Empty actions are
/// dropped; a scope may end with no actions (it then grants nothing, but it is not invalid).
/// </summary>
public static partial class ScopeParser
{
    /// <summary>OCI: clients keep host + '/' + name under 255 characters.</summary>
    private const int MaxNameLength = 255;

    /// <summary>
    /// Parses every <c>scope</c> value of a request. Each value may itself hold several scopes separated by
    /// spaces (the OAuth2 POST form) and the parameter may be repeated (GET, and containers/image's POST);
    /// both forms are accepted and may be mixed. Scopes of the same resource are merged.
    /// </summary>
    public static ScopeParseResult Parse(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var scopes = new List<ResourceScope>();
        var invalid = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            // Most clients send one scope per value: no split then.
            foreach (var part in value.Contains(' ', StringComparison.Ordinal) ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [value])
            {
                if (TryParseOne(part, out var scope))
                {
                    scopes.Add(scope);
                }
                else
                {
                    invalid.Add(part);
                }
            }
        }

        return new ScopeParseResult(Merge(scopes), invalid);
    }

    /// <summary>Parses a single <c>scope</c> parameter value (which may hold several space-separated scopes).</summary>
    public static ScopeParseResult Parse(string? value) => Parse([value]);

    /// <summary>
    /// Merges scopes naming the same resource (type and name) into one whose actions are the union, in
    /// first-seen order. The order of resources is the order of their first appearance.
    /// </summary>
    public static IReadOnlyList<ResourceScope> Merge(IEnumerable<ResourceScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes is IReadOnlyList<ResourceScope> { Count: <= 1 } few && (few.Count == 0 || HasDistinctActions(few[0])))
        {
            // The usual request, one scope (or none): nothing to merge.
            return few;
        }

        var order = new List<(string Type, string Name)>();
        var actions = new Dictionary<(string Type, string Name), List<string>>();
        foreach (var scope in scopes)
        {
            var key = (scope.Type, scope.Name);
            if (!actions.TryGetValue(key, out var list))
            {
                list = [];
                actions.Add(key, list);
                order.Add(key);
            }

            foreach (var action in scope.Actions)
            {
                if (!list.Contains(action, StringComparer.Ordinal))
                {
                    list.Add(action);
                }
            }
        }

        return order.Select(key => new ResourceScope(key.Type, key.Name, actions[key])).ToArray();
    }

    private static bool HasDistinctActions(ResourceScope scope)
    {
        var actions = scope.Actions;
        for (var i = 1; i < actions.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(actions[i], actions[j], StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static bool TryParseOne(string? value, [NotNullWhen(true)] out ResourceScope? scope)
    {
        scope = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var firstColon = value.IndexOf(':', StringComparison.Ordinal);
        var lastColon = value.LastIndexOf(':');
        if (firstColon <= 0 || lastColon == firstColon)
        {
            return false;
        }

        var type = KnownType(value.AsSpan(0, firstColon));
        if (type is null)
        {
            var typeMatch = TypeRegex().Match(value[..firstColon]);
            if (!typeMatch.Success)
            {
                return false;
            }

            type = typeMatch.Groups["type"].Value;
        }

        var name = value[(firstColon + 1)..lastColon];
        if (name.Length is 0 or > MaxNameLength || !NameRegex().IsMatch(name))
        {
            return false;
        }

        var actions = new List<string>();
        foreach (var action in value[(lastColon + 1)..].Split(','))
        {
            if (action.Length == 0)
            {
                continue;
            }

            if (action is not ("*" or "pull" or "push" or "delete") && !ActionRegex().IsMatch(action))
            {
                return false;
            }

            if (!actions.Contains(action, StringComparer.Ordinal))
            {
                actions.Add(action);
            }
        }

        scope = new ResourceScope(type, name, actions);
        return true;
    }

    // The two types clients send, without a regex match (this runs on every token exchange).
    private static string? KnownType(ReadOnlySpan<char> type) =>
        type is ResourceScope.RepositoryType ? ResourceScope.RepositoryType
        : type is ResourceScope.RegistryType ? ResourceScope.RegistryType
        : null;

    // \A…\z, not ^…$: $ also matches before a trailing newline, which would let "pull\n" through.
    [GeneratedRegex("\\A(?<type>[a-z0-9]+)(?:\\([a-z0-9]+\\))?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TypeRegex();

    [GeneratedRegex("\\A[a-z]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ActionRegex();

    // distribution/reference: [domain[:port] '/'] path-component ('/' path-component)*, where
    // path-component := [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*. Non-backtracking: scope strings come from
    // anonymous clients.
    [GeneratedRegex(
        "\\A(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?/)?"
        + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex NameRegex();
}
