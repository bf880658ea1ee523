using Microsoft.Win32.SafeHandles;

namespace Berth.Registry.Blobs;

/// <summary>
/// Keeps the disk working while an upload streams in, so the fsync before the commit finds little left to
/// do: every <see cref="Writeback.Interval"/> written it starts the kernel's writeback of the new bytes, and
/// every <see cref="SyncInterval"/> it flushes the file to disk (<c>RandomAccess.FlushToDisk</c>, an fsync)
/// on a thread-pool thread while the next bytes arrive, one flush at a time.
/// </summary>
/// <remarks>
/// Why the flush and not only the writeback: on the VM the benches run on (and on any disk with a volatile
/// cache) the writeback only reaches a cache, and the final fsync then waited for the cache flush of the
/// whole blob, 65–195 ms of a 256 MiB push (bench/RESULTS.md, issue 15 target 1). A failed flush is not
/// advisory: Linux reports a writeback error once per open file, so the failure it consumed would not come
/// back from the final fsync; <see cref="FinishAsync"/> throws it and the upload is not acknowledged.
/// </remarks>
internal sealed class WritebackSchedule
{
    /// <summary>How much to write between two background flushes.</summary>
    public const long SyncInterval = 64 * 1024 * 1024;

    private readonly SafeFileHandle file;
    private long startedUpTo;
    private long syncedUpTo;
    private Task flushing = Task.CompletedTask;

    /// <param name="offset">Where this write starts in the file.</param>
    public WritebackSchedule(SafeFileHandle file, long offset)
    {
        this.file = file;
        startedUpTo = offset;
        syncedUpTo = offset;
    }

    /// <summary>Everything before <paramref name="end"/> has been written.</summary>
    public void Written(long end)
    {
        if (end - startedUpTo >= Writeback.Interval)
        {
            Writeback.Start(file, startedUpTo, end - startedUpTo);
            startedUpTo = end;
        }

        // A failed flush stays in place, so FinishAsync reports it.
        if (end - syncedUpTo >= SyncInterval && flushing.IsCompletedSuccessfully)
        {
            flushing = Task.Run(() => RandomAccess.FlushToDisk(file), CancellationToken.None);
            syncedUpTo = end;
        }
    }

    /// <summary>Waits for the flush in flight.</summary>
    /// <exception cref="IOException">A background flush failed: the bytes may not be on disk.</exception>
    public Task FinishAsync() => flushing;

    /// <summary>Waits for the flush in flight without its outcome, when the write is failing anyway.</summary>
    public async Task AbandonAsync() => await flushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}
