using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Berth.Configuration;

/// <summary>
/// Finds the keys of one configuration source that no setting reads, before binding, and names each as
/// the user wrote it (<c>server.tlsCert</c>, <c>robots[ci-push].rule</c>), with the nearest known key when
/// one is close. The binder's own check names a .NET type instead of the key and stops at the first.
/// </summary>
internal static class UnknownKeys
{
    /// <param name="values">Flat keys of one source, as <see cref="ConfigurationLoader"/> reads them (<c>robots:0:name</c>).</param>
    /// <param name="origin">Names where a flat key came from, e.g. the file or the environment variable.</param>
    /// <returns>One message per unknown key (a misspelt section counts once).</returns>
    public static IReadOnlyList<string> Find(IReadOnlyDictionary<string, string?> values, Func<string, string> origin)
    {
        var root = new Node(string.Empty);
        foreach (var (key, value) in values)
        {
            var node = root;
            foreach (var part in key.Split(':'))
            {
                node = node.Child(part, key);
            }

            node.Value = value;
        }

        var errors = new List<string>();
        Walk(root, typeof(BerthSettings), string.Empty, errors, origin);
        return errors;
    }

    private static void Walk(Node node, Type type, string path, List<string> errors, Func<string, string> origin)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ItemType(type) is { } item)
        {
            foreach (var (index, child) in node.Children)
            {
                // Items are named by their name, which is what users search their file for; else by position.
                var label = child.Children.TryGetValue("name", out var name) && !string.IsNullOrEmpty(name.Value) ? name.Value : index;
                Walk(child, item, $"{path}[{label}]", errors, origin);
            }

            return;
        }

        var properties = IsSection(type) ? Properties(type) : [];
        foreach (var (key, child) in node.Children)
        {
            if (properties.FirstOrDefault(p => string.Equals(KeyName(p), key, StringComparison.OrdinalIgnoreCase)) is { } property)
            {
                Walk(child, property.PropertyType, Join(path, KeyName(property)), errors, origin);
            }
            else
            {
                errors.Add($"{origin(child.FirstKey)}: unknown key {Join(path, key)}{Hint(path, key, properties)}");
            }
        }
    }

    /// <summary>A close sibling; else the same key in another section (<c>server.dataDir</c> → <c>storage.dataDir</c>); else what the section takes.</summary>
    private static string Hint(string path, string key, IReadOnlyList<PropertyInfo> siblings)
    {
        var names = siblings.Select(KeyName).ToList();
        var nearest = names
            .Select(name => (Name: name, Distance: Distance(key.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(1, key.Length / 3))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        if (nearest.Name is not null)
        {
            return $"; did you mean {Join(path, nearest.Name)}?";
        }

        if (KnownPaths(typeof(BerthSettings), string.Empty).FirstOrDefault(known => string.Equals(known[(known.LastIndexOf('.') + 1)..], key, StringComparison.OrdinalIgnoreCase)) is { } elsewhere)
        {
            return $"; did you mean {elsewhere}?";
        }

        if (names.Count == 0)
        {
            return $" ({path} takes a single value)";
        }

        return path.Length == 0
            ? $" (the top-level keys are {string.Join(", ", names)})"
            : $" ({path} takes {string.Join(", ", names)})";
    }

    /// <summary>Every key outside lists, dotted (<c>storage.postgres.connectionString</c>).</summary>
    private static IEnumerable<string> KnownPaths(Type type, string path)
    {
        foreach (var property in Properties(type))
        {
            var key = Join(path, KeyName(property));
            yield return key;
            if (IsSection(property.PropertyType) && ItemType(property.PropertyType) is null)
            {
                foreach (var nested in KnownPaths(property.PropertyType, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToList();

    /// <summary>The key as users write it: the binder's <see cref="ConfigurationKeyNameAttribute"/> when set (<c>equals</c>), else the camel-cased property.</summary>
    private static string KeyName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? CamelCase(property.Name);

    /// <summary>A settings class read key by key (not a value such as a string, number or duration).</summary>
    private static bool IsSection(Type type) => type.IsClass && type != typeof(string);

    private static Type? ItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string CamelCase(string name) => char.ToLower(name[0], CultureInfo.InvariantCulture) + name[1..];

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>One level of the key tree; <see cref="FirstKey"/> is a flat key below it, to name its source.</summary>
    private sealed class Node(string firstKey)
    {
        public string FirstKey { get; } = firstKey;

        public string? Value { get; set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Node Child(string name, string key)
        {
            if (!Children.TryGetValue(name, out var child))
            {
                child = new Node(key);
                Children[name] = child;
            }

            return child;
        }
    }
}
