using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// A committed object as a seekable stream of known length: each read from a new position opens one
/// ranged GET from there to the end, so the host's Range handling (which seeks, then reads a count)
/// costs one request per range and never downloads what it skips.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 s3, string bucket, string key, long length) : Stream
{
    private GetObjectResponse? response;
    private Stream? body;
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (body is null)
        {
            response = await s3.GetObjectAsync(
                new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(position, length - 1) },
                cancellationToken);
            body = response.ResponseStream;
        }

        var read = await body.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException($"s3://{bucket}/{key} ended at {position} of {length} bytes (was it deleted or replaced while being read?)");
        }

        position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        if (target < 0)
        {
            throw new IOException("cannot seek before the start of the blob");
        }

        if (target != position)
        {
            CloseBody();
            position = target;
        }

        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }

        base.Dispose(disposing);
    }

    private void CloseBody()
    {
        body?.Dispose();
        response?.Dispose();
        body = null;
        response = null;
    }
}
