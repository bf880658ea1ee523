using System.Net;

namespace Berth.Interop.Tests.Crash;

/// <summary>
/// A request body that sends its first <c>sendBefore</c> bytes, then stalls until released:
/// the request stays in flight on the server while the test kills it.
/// </summary>
internal sealed class StallingContent(byte[] content, int sendBefore) : HttpContent
{
    private readonly TaskCompletionSource sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part was written and flushed to the connection.</summary>
    public Task Sent => sent.Task;

    /// <summary>Lets the body continue (after the server is gone, so the write fails).</summary>
    public void Release() => released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(content.AsMemory(0, sendBefore));
        await stream.FlushAsync();
        sent.TrySetResult();
        await released.Task;
        await stream.WriteAsync(content.AsMemory(sendBefore));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = content.Length;
        return true;
    }
}
