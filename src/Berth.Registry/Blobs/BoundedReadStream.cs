namespace Berth.Registry.Blobs;

/// <summary>Reads at most a fixed number of bytes from an inner stream; used to refuse oversize bodies and to read a prefix.</summary>
public sealed class BoundedReadStream : Stream
{
    private readonly Stream inner;
    private long remaining;

    public BoundedReadStream(Stream inner, long limit)
    {
        this.inner = inner;
        remaining = limit;
    }

    /// <summary>True once the limit was reached and the inner stream still had more to give.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (remaining == 0)
        {
            Exceeded |= buffer.Length > 0 && inner.Read(buffer[..1]) > 0;
            return 0;
        }

        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        remaining -= read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (remaining == 0)
        {
            Exceeded |= buffer.Length > 0 && await inner.ReadAsync(buffer[..1], cancellationToken) > 0;
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken);
        remaining -= read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
