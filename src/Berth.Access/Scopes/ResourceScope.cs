namespace Berth.Access.Scopes;

/// <summary>
/// One resource scope of Docker token authentication: <c>type:name:action[,action…]</c>, for example
/// <c>repository:library/app:pull,push</c> or <c>registry:catalog:*</c>. Two scopes are equal when type,
/// name and the ordered actions are equal.
/// </summary>
public sealed record ResourceScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";
    public const string CatalogName = "catalog";

    /// <summary>Parses one scope in the wire form; see <see cref="ScopeParser"/> for the grammar.</summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceScope? scope) =>
        ScopeParser.TryParseOne(value, out scope);

    /// <summary>The wire form, <c>type:name:a,b</c>.</summary>
    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";

    public bool Equals(ResourceScope? other) =>
        other is not null
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Actions.SequenceEqual(other.Actions, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type, StringComparer.Ordinal);
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var action in Actions)
        {
            hash.Add(action, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
