using System.Text.Json;

namespace Berth.Federation.Claims;

/// <summary>Turns a claim value into the strings rules compare against.</summary>
internal static class ClaimValues
{
    /// <summary>
    /// A string gives its value; numbers and booleans give their JSON text (so <c>"46576199"</c> and
    /// <c>46576199</c> compare equal); an array gives each scalar element; objects and null give nothing.
    /// </summary>
    public static IReadOnlyList<string> Candidates(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (var element in value.EnumerateArray())
            {
                if (Scalar(element) is { } text)
                {
                    list.Add(text);
                }
            }

            return list;
        }

        return Scalar(value) is { } single ? [single] : [];
    }

    /// <summary>A printable form of the value for explanations: strings as is, anything else as JSON.</summary>
    public static string Display(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>The single scalar text of a value, or null for arrays, objects and null.</summary>
    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
