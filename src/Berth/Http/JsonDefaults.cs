using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Http;

/// <summary>camelCase JSON without nulls, as registry clients expect.</summary>
internal static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
