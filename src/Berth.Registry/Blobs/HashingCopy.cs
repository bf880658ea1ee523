using System.Security.Cryptography;

namespace Berth.Registry.Blobs;

/// <summary>Copies an upload's bytes into the blob store's file while hashing them, in 1 MiB buffers.</summary>
internal static class HashingCopy
{
    private const int BufferSize = 1024 * 1024;

    /// <remarks>
    /// Two buffers, so the disk write of one overlaps receiving and hashing the next: a push is one chain
    /// of work per request, and with the three steps in series their sum limited it (bench/RESULTS.md, issue
    /// 15 target 1). A buffer is refilled only after its write completed, the hash sees the bytes in order,
    /// and at most one write is in flight, so the file is written in order.
    /// </remarks>
    public static async Task<long> CopyAsync(Stream source, Stream destination, IncrementalHash? hasher, CancellationToken cancellationToken)
    {
        var filling = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var spare = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var writing = Task.CompletedTask;
        var file = destination as FileStream;
        var start = file?.Position ?? 0;
        var written = start;
        var writeback = file is null ? null : new WritebackSchedule(file.SafeFileHandle, start);
        try
        {
            while (true)
            {
                var filled = await FillAsync(source, filling, cancellationToken);
                if (filled > 0)
                {
                    hasher?.AppendData(filling, 0, filled);
                }

                await writing;
                if (filled == 0)
                {
                    // The rest is the caller's fsync (now or at the commit of a chunked upload).
                    if (writeback is not null)
                    {
                        await writeback.FinishAsync();
                    }

                    return written - start;
                }

                writeback?.Written(written);

                writing = destination.WriteAsync(filling.AsMemory(0, filled), cancellationToken).AsTask();
                written += filled;
                (filling, spare) = (spare, filling);
            }
        }
        finally
        {
            // A write or flush still in flight uses the buffers or the file: it must end before they go back.
            // Its error, if any, was already thrown above or is second to the one being thrown now.
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (writeback is not null)
            {
                await writeback.AbandonAsync();
            }

            System.Buffers.ArrayPool<byte>.Shared.Return(filling);
            System.Buffers.ArrayPool<byte>.Shared.Return(spare);
        }
    }

    /// <summary>
    /// Network reads return a few kilobytes at a time: fills the buffer first, so the disk sees large
    /// writes and the hasher large blocks. Returns the bytes read, less than the buffer only at the end.
    /// </summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < BufferSize && (read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }
}
