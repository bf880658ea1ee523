using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Auth.Documents;

/// <summary>
/// How admin documents and refresh-token permissions are written to and read from the metadata store.
/// Deliberately not the HTTP <c>JsonDefaults</c>: the rows outlive any change to the API's JSON, so these
/// options change only with a migration (StoredDocumentMigrationTests reads JSON that earlier versions stored).
/// </summary>
internal static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
