using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>The first <c>size</c> staged bytes of an upload, read chunk after chunk with one GET each.</summary>
/// <param name="opened">Told each chunk's key and the ETag of the object version its GET reads, when given.</param>
internal sealed class StagedChunkStream(IAmazonS3 s3, string bucket, IReadOnlyList<StagedChunks.Chunk> chunks, long size, Action<string, string>? opened = null) : Stream
{
    private int index = -1;
    private GetObjectResponse? response;
    private Stream? body;
    private long remainingInChunk;
    private long remaining = size;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (remaining > 0 && buffer.Length > 0)
        {
            if (body is null || remainingInChunk == 0)
            {
                CloseBody();
                index++;
                if (index >= chunks.Count)
                {
                    throw new IOException($"the staged chunks end {remaining} bytes short (were they deleted while the upload was committed?)");
                }

                var chunk = chunks[index];
                remainingInChunk = Math.Min(chunk.Length, remaining);
                if (remainingInChunk == 0)
                {
                    continue;
                }

                response = await s3.GetObjectAsync(
                    new GetObjectRequest { BucketName = bucket, Key = chunk.Key, ByteRange = new ByteRange(0, remainingInChunk - 1) },
                    cancellationToken);
                body = response.ResponseStream;
                opened?.Invoke(chunk.Key, response.ETag);
            }

            var read = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remainingInChunk)], cancellationToken);
            if (read == 0)
            {
                throw new IOException($"staged chunk {chunks[index].Key} ended {remainingInChunk} bytes early (was it rewritten meanwhile?)");
            }

            remainingInChunk -= read;
            remaining -= read;
            return read;
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

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
