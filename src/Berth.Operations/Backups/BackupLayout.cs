namespace Berth.Backups;

/// <summary>
/// Where things are in a data folder and in a backup folder: the same names, so a backup is a data folder
/// without the transient parts (uploads, ingest, trash).
/// <code>
/// metadata.db                       the SQLite metadata store (a VACUUM INTO copy in a backup)
/// blobs/ALGORITHM/HEX[..2]/HEX      content-addressed blobs (and manifests)
/// keys/                             the generated registry signing key
/// berth-backup.json                 in a backup only, written last
/// </code>
/// </summary>
internal static class BackupLayout
{
    public const string Metadata = "metadata.db";
    public const string Blobs = "blobs";
    public const string Keys = "keys";

    /// <summary>The blob's file under <paramref name="root"/>; null for a digest that is not <c>algorithm:hex</c>.</summary>
    public static string? BlobPath(string root, string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || digest.Length - colon - 1 < 3)
        {
            return null;
        }

        var (algorithm, hex) = (digest[..colon], digest[(colon + 1)..]);
        if (!algorithm.All(char.IsAsciiLetterOrDigit) || !hex.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        return Path.Combine(root, Blobs, algorithm, hex[..2], hex);
    }
}
