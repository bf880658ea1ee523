using System.Text.Json;
using Berth.Configuration;
using Berth.Data.Sqlite;

namespace Berth.Backups;

/// <summary>
/// <c>berth backup</c>: an online copy of a SQLite data folder while the server keeps serving. The metadata
/// first (one consistent snapshot), then exactly the blobs that snapshot references: blobs are immutable
/// and named by digest, so a blob pushed after the snapshot is simply not needed, and one the snapshot needs
/// must still be there (only garbage collection of an unreferenced blob removes one; a missing blob fails
/// the backup rather than leaving a copy that cannot serve a pull).
/// </summary>
internal sealed class DataFolderBackup(TextWriter output)
{
    /// <exception cref="BackupException">The configuration or the folders do not allow a backup; the message says what to do.</exception>
    public async Task<BackupManifest> RunAsync(StorageSettings storage, string target, bool metadataOnly, CancellationToken cancellationToken)
    {
        if (storage.UsesPostgres)
        {
            throw new BackupException("the metadata store is PostgreSQL: back it up with pg_dump (docs/operations.md#backups); berth backup copies the SQLite store");
        }

        if (storage.UsesS3 && !metadataOnly)
        {
            throw new BackupException("blobs are in an S3 bucket: protect them with bucket versioning or replication (docs/operations.md#backups) and pass --metadata-only to back up the SQLite store");
        }

        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupException($"{target} is not empty: back up into a new folder");
        }

        var dataDir = Path.GetFullPath(storage.DataDir);
        Directory.CreateDirectory(target);
        var snapshot = await SqliteBackup.SnapshotAsync(Path.Combine(dataDir, BackupLayout.Metadata), Path.Combine(target, BackupLayout.Metadata), cancellationToken);
        await output.WriteLineAsync($"metadata: schema version {snapshot.SchemaVersion}, {snapshot.Blobs.Count} blobs referenced");

        long bytes = 0;
        if (!metadataOnly)
        {
            foreach (var blob in snapshot.Blobs)
            {
                bytes += await CopyBlobAsync(dataDir, target, blob, cancellationToken);
            }

            await output.WriteLineAsync($"blobs: {snapshot.Blobs.Count} copied, {bytes} bytes");
        }

        CopyKeys(dataDir, target);
        var manifest = new BackupManifest(BackupManifest.CurrentFormat, DateTimeOffset.UtcNow, snapshot.SchemaVersion, metadataOnly, metadataOnly ? 0 : snapshot.Blobs.Count, bytes);
        await File.WriteAllTextAsync(Path.Combine(target, BackupManifest.FileName), JsonSerializer.Serialize(manifest, BackupManifest.Json), cancellationToken);
        return manifest;
    }

    private static async Task<long> CopyBlobAsync(string dataDir, string target, SqliteSnapshotBlob blob, CancellationToken cancellationToken)
    {
        var source = BackupLayout.BlobPath(dataDir, blob.Digest)
            ?? throw new BackupException($"the metadata names a malformed digest '{blob.Digest}'");
        var info = new FileInfo(source);
        if (!info.Exists || info.Length != blob.Size)
        {
            throw new BackupException(
                $"blob {blob.Digest} is referenced but {(info.Exists ? $"has {info.Length} bytes, not {blob.Size}" : "missing")} in {Path.Combine(dataDir, BackupLayout.Blobs)}: " +
                "do not run garbage collection during a backup, then run the backup again");
        }

        var destination = BackupLayout.BlobPath(target, blob.Digest)!;
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var to = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        {
            await from.CopyToAsync(to, cancellationToken);
        }

        return blob.Size;
    }

    /// <summary>The generated signing key: without it, tokens issued before the restore stop verifying.</summary>
    private static void CopyKeys(string dataDir, string target)
    {
        var keys = Path.Combine(dataDir, BackupLayout.Keys);
        if (!Directory.Exists(keys))
        {
            return;
        }

        var destination = Directory.CreateDirectory(Path.Combine(target, BackupLayout.Keys)).FullName;
        foreach (var file in Directory.EnumerateFiles(keys))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }
}
