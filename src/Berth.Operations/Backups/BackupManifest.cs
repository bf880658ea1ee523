using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Backups;

/// <summary>
/// <c>berth-backup.json</c>, written last: a backup folder without it is incomplete and <c>berth restore</c>
/// refuses it.
/// </summary>
internal sealed record BackupManifest(int Format, DateTimeOffset CreatedAt, int SchemaVersion, bool MetadataOnly, int Blobs, long Bytes)
{
    public const string FileName = "berth-backup.json";

    public const int CurrentFormat = 1;

    /// <summary>The file's own JSON options (camelCase, no nulls), fixed here so that HTTP changes never touch backups.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
