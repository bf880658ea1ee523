namespace Berth.Registry.Tests.Uploads;

/// <summary>
/// A chunk's body that hands out its first <c>sendBefore</c> bytes, then waits until released (or until
/// the reader cancels): a chunk still streaming in while the test moves the clock or the session.
/// </summary>
internal sealed class StallingStream(byte[] content, int sendBefore) : Stream
{
    private readonly TaskCompletionSource stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int position;

    /// <summary>Completes once the first part was read and the reader asked for more.</summary>
    public Task Stalled => stalled.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Release() => released.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position == sendBefore)
        {
            stalled.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
        }

        var end = position < sendBefore ? sendBefore : content.Length;
        var count = Math.Min(buffer.Length, end - position);
        content.AsMemory(position, count).CopyTo(buffer);
        position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
