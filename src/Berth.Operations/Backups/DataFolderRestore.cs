using System.Text.Json;
using Berth.Configuration;

namespace Berth.Backups;

/// <summary>
/// <c>berth restore</c>: puts a backup made by <see cref="DataFolderBackup"/> into a data folder that holds no
/// metadata store yet, with Berth stopped. Blobs first, the metadata file last (copied under a temporary
/// name, then renamed), so an interrupted restore leaves no database and can simply be run again.
/// </summary>
internal sealed class DataFolderRestore(TextWriter output)
{
    /// <exception cref="BackupException">The backup or the target does not allow a restore; the message says what to do.</exception>
    public async Task<BackupManifest> RunAsync(StorageSettings storage, string from, CancellationToken cancellationToken)
    {
        if (storage.UsesPostgres)
        {
            throw new BackupException("the metadata store is PostgreSQL: restore it with pg_restore (docs/operations.md#backups); berth restore writes a SQLite data folder");
        }

        from = Path.GetFullPath(from);
        var manifestPath = Path.Combine(from, BackupManifest.FileName);
        if (!File.Exists(manifestPath) || !File.Exists(Path.Combine(from, BackupLayout.Metadata)))
        {
            throw new BackupException($"{from} is not a complete Berth backup (no {BackupManifest.FileName} or {BackupLayout.Metadata}): use a folder written by berth backup that finished");
        }

        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken), BackupManifest.Json)
            ?? throw new BackupException($"{manifestPath} is empty");
        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new BackupException($"{manifestPath} has backup format {manifest.Format}; this Berth reads format {BackupManifest.CurrentFormat}");
        }

        if (!manifest.MetadataOnly && storage.UsesS3)
        {
            throw new BackupException("the configuration keeps blobs in S3, but this backup holds blobs for the filesystem store: restore with the filesystem blob store, or copy the blobs into the bucket yourself");
        }

        var dataDir = Path.GetFullPath(storage.DataDir);
        var database = Path.Combine(dataDir, BackupLayout.Metadata);
        if (File.Exists(database))
        {
            throw new BackupException($"{database} already exists: restore into a new data folder (--data), or stop Berth and move the old one away first");
        }

        Directory.CreateDirectory(dataDir);
        var copied = manifest.MetadataOnly ? 0 : CopyTree(Path.Combine(from, BackupLayout.Blobs), Path.Combine(dataDir, BackupLayout.Blobs));
        CopyTree(Path.Combine(from, BackupLayout.Keys), Path.Combine(dataDir, BackupLayout.Keys));
        var temporary = database + ".restoring";
        File.Copy(Path.Combine(from, BackupLayout.Metadata), temporary, overwrite: true);
        File.Move(temporary, database);
        await output.WriteLineAsync(manifest.MetadataOnly
            ? $"restored the metadata (schema version {manifest.SchemaVersion}) of a metadata-only backup from {manifest.CreatedAt:u}: the blob store must still hold its blobs"
            : $"restored the metadata (schema version {manifest.SchemaVersion}) and {copied} blobs from the backup of {manifest.CreatedAt:u} into {dataDir}");
        return manifest;
    }

    /// <summary>Copies every file below <paramref name="source"/>; a file already there is kept (blobs are named by their content).</summary>
    private static int CopyTree(string source, string destination)
    {
        if (!Directory.Exists(source))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            if (File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            count++;
        }

        return count;
    }
}
