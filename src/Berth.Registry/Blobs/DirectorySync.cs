using System.Runtime.InteropServices;

namespace Berth.Registry.Blobs;

/// <summary>
/// Makes a folder's entries durable (Linux <c>fsync</c> of the folder): a rename reaches the disk with its
/// folder, not with the file, so without this a crash after the blob was acknowledged could lose the new
/// name although the bytes themselves were flushed. A no-op off Linux (Windows journals renames itself; other
/// Unixes are not targets, see docs/operations.md).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <exception cref="IOException">The folder could not be opened or flushed: the commit must not be acknowledged.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Errors carry the errno as HResult, as .NET's own file errors do (StorageFull reads it).
        var fd = Open(directory, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open folder '{directory}' to flush it: errno {errno}", errno);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot flush folder '{directory}': errno {errno}", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
