using System.Text.Json.Serialization;

namespace Berth.Access.Tokens;

/// <summary>One element of the <c>access</c> claim, exactly as docker distribution's <c>ResourceActions</c>.</summary>
internal sealed record RegistryAccessEntry(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("actions")] IReadOnlyList<string> Actions);
