using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary><c>--output table|json|yaml</c>: tables for people, JSON and YAML for scripts.</summary>
internal static class Output
{
    // A terminal shows text, not HTML: '+' in a timestamp and '→' in an error stay as they are, not \u escapes.
    private static readonly JsonSerializerOptions Readable = new(AdminJson.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static Option<string> Option()
    {
        var option = new Option<string>("--output", "-o") { Description = "table, json or yaml", DefaultValueFactory = _ => "table" };
        option.AcceptOnlyFromAmong("table", "json", "yaml");
        return option;
    }

    /// <summary>Writes <paramref name="json"/> in the format; tables show <paramref name="columns"/> of each row (a list, or one object).</summary>
    public static void Write(string format, JsonElement json, params string[] columns)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(json, Readable));
                break;
            case "yaml":
                var yaml = new StringBuilder();
                Yaml(json, 0, yaml, inList: false);
                Console.Write(yaml.ToString());
                break;
            default:
                Table(json.ValueKind == JsonValueKind.Array ? [.. json.EnumerateArray()] : [json], columns);
                break;
        }
    }

    private static void Table(IReadOnlyList<JsonElement> rows, string[] columns)
    {
        var cells = rows.Select(row => columns.Select(c => Cell(row, c)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        Console.WriteLine(string.Join("  ", columns.Select((c, i) => c.ToUpperInvariant().PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            Console.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Cell(JsonElement row, string column)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty(column, out var value))
        {
            return row.ValueKind == JsonValueKind.String && column == "name" ? row.GetString()! : "-";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "-",
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => value.GetRawText(),
        };
    }

    private static void Yaml(JsonElement value, int indent, StringBuilder text, bool inList)
    {
        var pad = new string(' ', indent);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    text.Append(first && inList ? string.Empty : pad).Append(property.Name).Append(':');
                    first = false;
                    WriteChild(property.Value, indent + 2, text);
                }

                if (first)
                {
                    text.Append(inList ? string.Empty : pad).AppendLine("{}");
                }

                break;
            case JsonValueKind.Array:
                if (value.GetArrayLength() == 0)
                {
                    text.Append(pad).AppendLine("[]");
                }

                foreach (var item in value.EnumerateArray())
                {
                    text.Append(pad).Append("- ");
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        Yaml(item, indent + 2, text, inList: true);
                    }
                    else
                    {
                        text.AppendLine(Scalar(item));
                    }
                }

                break;
            default:
                text.Append(pad).AppendLine(Scalar(value));
                break;
        }
    }

    private static void WriteChild(JsonElement value, int indent, StringBuilder text)
    {
        if (value.ValueKind is JsonValueKind.Object && value.EnumerateObject().Any() || value.ValueKind is JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            text.AppendLine();
            Yaml(value, indent, text, inList: false);
        }
        else
        {
            text.Append(' ').AppendLine(value.ValueKind is JsonValueKind.Object ? "{}" : value.ValueKind is JsonValueKind.Array ? "[]" : Scalar(value));
        }
    }

    // JSON strings are valid YAML flow scalars, so quoting through JSON keeps every value exact.
    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => JsonSerializer.Serialize(value.GetString(), Readable),
        JsonValueKind.Null => "null",
        _ => value.GetRawText().ToString(CultureInfo.InvariantCulture),
    };
}
