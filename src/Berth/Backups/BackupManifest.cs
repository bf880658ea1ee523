namespace Berth.Backups;

/// <summary>
/// <c>berth-backup.json</c>, written last: a backup folder without it is incomplete and <c>berth restore</c>
/// refuses it.
/// </summary>
internal sealed record BackupManifest(int Format, DateTimeOffset CreatedAt, int SchemaVersion, bool MetadataOnly, int Blobs, long Bytes)
{
    public const string FileName = "berth-backup.json";

    public const int CurrentFormat = 1;
}
