using System.Security.Cryptography;
using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>
/// Blobs as plain files under one root. Layout:
/// <code>
/// root/
///   blobs/sha256/ab/ab12…ef      committed content, named by its digest; its bytes never change
///   uploads/&lt;uuid&gt;               staging file of an upload session
///   ingest/&lt;random&gt;              temporary file of a single-request upload or manifest
///   trash/&lt;alg&gt;-&lt;hex&gt;-&lt;random&gt;    a blob garbage collection is deleting (put back at start-up)
/// </code>
/// A file only appears under <c>blobs/</c> by an atomic rename after its digest was verified and
/// its bytes were flushed to disk, and the folder is flushed before the commit returns, so a crash
/// never leaves a partial blob visible nor loses one that was acknowledged. Every commit
/// renames its own verified bytes into place with a fresh modification time, even when the digest is
/// already there: that time is what garbage collection's grace period and its final check read.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore, IUploadStaging, IBlobInventory
{
    private readonly string blobsRoot;
    private readonly string uploadsRoot;
    private readonly string ingestRoot;
    private readonly string trashRoot;
    private readonly TimeProvider time;

    public FileSystemBlobStore(string root)
        : this(root, TimeProvider.System)
    {
    }

    /// <param name="time">Stamps committed blobs, so garbage collection's grace period runs on the same clock.</param>
    public FileSystemBlobStore(string root, TimeProvider time)
    {
        this.time = time;
        blobsRoot = Path.Combine(root, "blobs");
        uploadsRoot = Path.Combine(root, "uploads");
        ingestRoot = Path.Combine(root, "ingest");
        trashRoot = Path.Combine(root, "trash");
        Directory.CreateDirectory(blobsRoot);
        Directory.CreateDirectory(uploadsRoot);
        Directory.CreateDirectory(ingestRoot);
        Directory.CreateDirectory(trashRoot);
        // Leftovers of single-request uploads interrupted by a crash: never visible, safe to drop.
        foreach (var stale in Directory.EnumerateFiles(ingestRoot))
        {
            File.Delete(stale);
        }

        RestoreTrash();
    }

    public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var info = new FileInfo(BlobPath(digest));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task<BlobContent?> GetAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Task.FromResult<BlobContent?>(null);
        }

        return Task.FromResult<BlobContent?>(new BlobContent(info.Length, path, _ => Task.FromResult<Stream>(OpenForRead(path))));
    }

    public async Task<IngestResult> IngestAsync(Stream content, Digest expected, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(ingestRoot, Guid.NewGuid().ToString("N"));
        try
        {
            using var hasher = Digest.CreateHasher(expected.Algorithm);
            long size;
            await using (var file = OpenForWrite(temp, FileMode.CreateNew))
            {
                size = await HashingCopy.CopyAsync(content, file, hasher, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            var actual = Digest.FromHash(expected.Algorithm, hasher.GetHashAndReset());
            if (actual != expected)
            {
                return new IngestResult(false, actual, size);
            }

            MoveIntoPlace(temp, expected);
            return new IngestResult(true, actual, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task CreateStagingAsync(Guid upload, CancellationToken cancellationToken)
    {
        using var _ = OpenForWrite(StagingPath(upload), FileMode.CreateNew);
        return Task.CompletedTask;
    }

    public async Task<long?> WriteStagingAsync(Guid upload, long offset, Stream content, IncrementalHash? hasher, CancellationToken cancellationToken)
    {
        var path = StagingPath(upload);
        FileStream file;
        try
        {
            file = OpenForWrite(path, FileMode.Open);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            // Another request is writing this upload right now (the file is opened exclusively).
            return null;
        }

        await using (file)
        {
            if (file.Length < offset)
            {
                return null;
            }

            file.SetLength(offset);
            file.Position = offset;
            await HashingCopy.CopyAsync(content, file, hasher, cancellationToken);
            // The caller acknowledges the size returned (and stores it in the session after this), so the bytes
            // reach the disk first: an acknowledged offset then survives a power cut, not only a crash of the
            // process. For docker's one PATCH per blob this is the flush the commit would do anyway, done earlier.
            file.Flush(flushToDisk: true);
            return file.Length;
        }
    }

    /// <remarks>
    /// The staging file is opened exclusively from the hash to the rename, so no other writer can change the
    /// bytes in between; it is read back only when no running hash came with the call (another replica wrote
    /// some of the chunks, or the process restarted).
    /// </remarks>
    public async Task<IngestResult?> CommitStagingAsync(Guid upload, Digest expected, long size, Digest? hashed, CancellationToken cancellationToken)
    {
        var path = StagingPath(upload);
        Digest actual;
        try
        {
            await using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
            if (file.Length < size)
            {
                return null;
            }

            actual = hashed ?? await HashAsync(file, expected.Algorithm, size, cancellationToken);
            if (actual != expected)
            {
                return new IngestResult(false, actual, size);
            }

            if (file.Length > size)
            {
                // The remains of a chunk that was never acknowledged.
                file.SetLength(size);
            }

            // Chunks are flushed as they are acknowledged; this covers bytes staged by an older Berth and the
            // truncation above, and costs little when nothing is left to write.
            file.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        MoveIntoPlace(path, expected);
        File.Delete(path);
        return new IngestResult(true, actual, size);
    }

    public Task DeleteStagingAsync(Guid upload, CancellationToken cancellationToken)
    {
        File.Delete(StagingPath(upload));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // blobs/<algorithm>/<xx>/<hex>: anything else under blobs/ is not a blob and is left alone.
        foreach (var algorithmDir in Directory.EnumerateDirectories(blobsRoot))
        {
            foreach (var file in Directory.EnumerateFiles(algorithmDir, "*", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Digest.TryParse(Path.GetFileName(algorithmDir) + ":" + Path.GetFileName(file), out var digest) || BlobPath(digest) != file)
                {
                    continue;
                }

                var info = new FileInfo(file);
                if (info.Exists)
                {
                    yield return new StoredBlob(digest, info.Length, info.LastWriteTimeUtc);
                }
            }

            await Task.Yield();
        }
    }

    /// <remarks>
    /// A commit of the same digest may rename fresh bytes into place at any moment, without asking
    /// anyone. So the file is first renamed away (atomic), then the time of what was actually moved is
    /// checked: fresh bytes mean a commit won the race, and they are put back at once (a read in those
    /// microseconds may miss them; the commit's own link is never lost). A commit after the rename
    /// simply lands in the emptied place, and only the old bytes are deleted.
    /// </remarks>
    public Task<long?> DeleteIfUnmodifiedAsync(Digest digest, DateTimeOffset modifiedBefore, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(digest);
        var info = new FileInfo(path);
        if (!info.Exists || info.LastWriteTimeUtc >= modifiedBefore.UtcDateTime)
        {
            return Task.FromResult<long?>(null);
        }

        var trash = Path.Combine(trashRoot, $"{digest.Algorithm}-{digest.Hex}-{Guid.NewGuid():N}");
        try
        {
            File.Move(path, trash, overwrite: false);
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<long?>(null);
        }

        var moved = new FileInfo(trash);
        if (moved.LastWriteTimeUtc >= modifiedBefore.UtcDateTime)
        {
            PutBack(trash, path);
            return Task.FromResult<long?>(null);
        }

        File.Delete(trash);
        return Task.FromResult<long?>(moved.Length);
    }

    /// <remarks>
    /// The bytes were flushed before; after the rename the folder is flushed too (and the folders above
    /// it when it was just made), so a blob that was acknowledged is still there after a power cut.
    /// </remarks>
    private void MoveIntoPlace(string source, Digest digest)
    {
        var target = BlobPath(digest);
        var folder = Path.GetDirectoryName(target)!;
        var newFolder = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        // Replacing an existing file of the same digest swaps identical bytes (readers keep the old
        // inode) and, more importantly, makes the blob fresh again for garbage collection.
        File.SetLastWriteTimeUtc(source, time.GetUtcNow().UtcDateTime);
        File.Move(source, target, overwrite: true);
        if (newFolder)
        {
            // blobs/<algorithm>/<xx>/ was just made (maybe blobs/<algorithm>/ too): their names are entries as well.
            var algorithmFolder = Path.GetDirectoryName(folder)!;
            DirectorySync.Flush(algorithmFolder);
            DirectorySync.Flush(Path.GetDirectoryName(algorithmFolder)!);
        }

        DirectorySync.Flush(folder);
    }

    /// <summary>Blobs a crashed garbage collection had renamed away go back; the next run decides again.</summary>
    private void RestoreTrash()
    {
        foreach (var file in Directory.EnumerateFiles(trashRoot))
        {
            var parts = Path.GetFileName(file).Split('-');
            if (parts.Length == 3 && Digest.TryParse(parts[0] + ":" + parts[1], out var digest))
            {
                PutBack(file, BlobPath(digest));
            }
            else
            {
                File.Delete(file);
            }
        }
    }

    private static void PutBack(string trash, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(trash, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // A commit put identical bytes there meanwhile.
            File.Delete(trash);
        }
    }

    private string BlobPath(Digest digest) => Path.Combine(blobsRoot, digest.Algorithm, digest.Hex[..2], digest.Hex);

    private string StagingPath(Guid upload) => Path.Combine(uploadsRoot, upload.ToString("N"));

    private static async Task<Digest> HashAsync(FileStream file, string algorithm, long size, CancellationToken cancellationToken)
    {
        using var hasher = Digest.CreateHasher(algorithm);
        file.Position = 0;
        await using var staged = new BoundedReadStream(file, size);
        await HashingCopy.CopyAsync(staged, Stream.Null, hasher, cancellationToken);
        return Digest.FromHash(algorithm, hasher.GetHashAndReset());
    }

    private static FileStream OpenForRead(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });

    private static FileStream OpenForWrite(string path, FileMode mode) =>
        new(path, new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0, Options = FileOptions.Asynchronous });
}
