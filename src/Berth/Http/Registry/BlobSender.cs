using Microsoft.Win32.SafeHandles;

namespace Berth.Http.Registry;

/// <summary>
/// Sends a whole local blob file by reading straight into the response pipe's buffers (one copy,
/// large reads), which is markedly faster than the generic file result for multi-gigabyte layers.
/// Ranged and conditional requests still go through the framework's file result.
/// </summary>
internal static class BlobSender
{
    private const int ChunkSize = 1024 * 1024;

    public static async Task SendAsync(HttpResponse response, string path, long length, CancellationToken cancellationToken)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        response.ContentLength = length;
        response.ContentType = "application/octet-stream";
        var writer = response.BodyWriter;
        long offset = 0;
        while (offset < length)
        {
            var memory = writer.GetMemory(ChunkSize);
            var read = await RandomAccess.ReadAsync(file, memory, offset, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"blob file {path} ended at {offset} of {length} bytes");
            }

            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
