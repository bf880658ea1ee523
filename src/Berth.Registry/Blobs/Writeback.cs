using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Registry.Blobs;

/// <summary>
/// Starts the kernel writing a file's newest bytes to disk while the upload goes on
/// (Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>; it does not wait). Without it, a large blob
/// sits dirty in the page cache until the final fsync, which then stalls for the whole blob; with it,
/// the disk works while the network does and the final fsync only waits for the tail.
/// A no-op where the call does not exist.
/// </summary>
internal static partial class Writeback
{
    /// <summary>How much newly written data to let pile up before asking for writeback.</summary>
    public const long Interval = 16 * 1024 * 1024;

    private const uint SyncFileRangeWrite = 2;

    private static bool unavailable = !OperatingSystem.IsLinux();

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (unavailable || length <= 0)
        {
            return;
        }

        try
        {
            // Advisory only: a failure (unsupported filesystem) changes nothing, the final fsync still runs.
            _ = SyncFileRange(file, offset, length, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
