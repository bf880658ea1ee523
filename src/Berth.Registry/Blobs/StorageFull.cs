namespace Berth.Registry.Blobs;

/// <summary>Recognises a write that failed because the blob store's file system is full or over quota.</summary>
public static class StorageFull
{
    // On Unix, .NET puts the raw errno in HResult of the IOException it throws for a failed write.
    private const int Enospc = 28;
    private const int Edquot = 122;

    // On Windows: ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL as HRESULTs.
    private const int HandleDiskFull = unchecked((int)0x80070027);
    private const int DiskFull = unchecked((int)0x80070070);

    public static bool Is(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException { HResult: Enospc or Edquot or HandleDiskFull or DiskFull })
            {
                return true;
            }
        }

        return false;
    }
}
