using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Cli.Admin;

/// <summary>
/// The admin API's JSON as the client reads and writes it: camelCase, nulls left out. The client's own
/// options, not the server's: they agree on the JSON on the wire, not on a shared C# object.
/// </summary>
internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
