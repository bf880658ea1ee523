using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// Streams bytes of unknown length into one object. A body that fits in one part is sent with one
/// PutObject; a longer one as a multipart upload of fixed-size parts, the next part read from the client
/// while the previous ones are sent (a few part buffers, never the whole body in memory). Every byte goes
/// through the hasher first, and <c>accept</c> decides at the end, before the object exists, whether it
/// may exist at all: that is how nothing becomes visible under a digest before it was verified.
/// </summary>
internal sealed class S3ObjectWriter
{
    private readonly IAmazonS3 s3;
    private readonly string bucket;
    private readonly int partSize;
    private readonly ArrayPool<byte> buffers;
    private readonly bool unsignedPayload;

    /// <summary>
    /// Parts sent at once (plus one being read from the client): with one, the server waited while the SDK
    /// hashed each part for its signature (bench/s3-profile.sh); with two, a 1 GiB push to radosgw stayed at
    /// 0.76–0.79× the direct PUT, with four 0.89× (bench/RESULTS.md, 2026-12-07). Memory: (PartsInFlight + 1) ×
    /// part size per write, 40 MiB at the default 8 MiB parts.
    /// </summary>
    private const int PartsInFlight = 4;

    public S3ObjectWriter(IAmazonS3 s3, string bucket, int partSize)
    {
        // Over HTTPS the SDK may skip hashing each body for its signature (UNSIGNED-PAYLOAD): TLS guards
        // the transfer and Berth verifies every digest itself. Over plain HTTP it must sign the payload.
        var serviceUrl = (s3.Config as AmazonS3Config)?.ServiceURL;
        unsignedPayload = serviceUrl is null || serviceUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (partSize < S3BlobStoreOptions.MinimumPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(partSize), partSize, $"S3 parts must be at least {S3BlobStoreOptions.MinimumPartSize} bytes");
        }

        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        buffers = ArrayPool<byte>.Create(partSize, 64);
    }

    /// <summary>
    /// Writes <paramref name="source"/> to <paramref name="key"/>; <c>Written</c> is false when <paramref name="accept"/>
    /// refused (nothing was stored). <c>ETag</c> is the new object's, as the server answered it.
    /// </summary>
    /// <param name="accept">Called with the size once every byte was read and hashed; null accepts everything.</param>
    public async Task<(bool Written, long Size, string? ETag)> WriteAsync(
        string key, Stream source, IncrementalHash? hasher, Func<long, bool>? accept, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var first = buffers.Rent(partSize);
        try
        {
            var filled = await FillAsync(source, first, cancellationToken);
            hasher?.AppendData(first, 0, filled);
            if (filled < partSize)
            {
                if (accept?.Invoke(filled) == false)
                {
                    return (false, filled, null);
                }

                var put = new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = new MemoryStream(first, 0, filled, writable: false),
                    UseChunkEncoding = false,
                    DisablePayloadSigning = unsignedPayload,
                };
                AddMetadata(put.Metadata, metadata);
                var response = await s3.PutObjectAsync(put, cancellationToken);
                return (true, filled, response.ETag);
            }

            return await WriteMultipartAsync(key, source, first, hasher, accept, metadata, cancellationToken);
        }
        finally
        {
            buffers.Return(first);
        }
    }

    private async Task<(bool Written, long Size, string? ETag)> WriteMultipartAsync(
        string key, Stream source, byte[] first, IncrementalHash? hasher, Func<long, bool>? accept, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key };
        AddMetadata(initiate.Metadata, metadata);
        var uploadId = (await s3.InitiateMultipartUploadAsync(initiate, cancellationToken)).UploadId;
        var parts = new List<PartETag>();
        var sending = new Queue<(Task<PartETag> Send, byte[] Buffer)>(PartsInFlight);
        var rented = new List<byte[]>(PartsInFlight);
        var completed = false;
        try
        {
            // `first` is full and hashed; it goes out while the next part is read, and so on with up to
            // PartsInFlight parts on the wire, so the server receives one part while the SDK signs the next.
            var current = first;
            var filled = partSize;
            long size = filled;
            while (true)
            {
                sending.Enqueue((SendPartAsync(key, uploadId, parts.Count + sending.Count + 1, current, filled, cancellationToken), current));
                byte[] next;
                if (sending.Count < PartsInFlight)
                {
                    next = buffers.Rent(partSize);
                    rented.Add(next);
                }
                else
                {
                    // The oldest part's buffer is reused once that part is stored; parts finish in order.
                    var (send, buffer) = sending.Dequeue();
                    parts.Add(await send);
                    next = buffer;
                }

                filled = await FillAsync(source, next, cancellationToken);
                if (filled == 0)
                {
                    break;
                }

                hasher?.AppendData(next, 0, filled);
                size += filled;
                current = next;
            }

            while (sending.Count > 0)
            {
                parts.Add(await sending.Dequeue().Send);
            }

            if (accept?.Invoke(size) == false)
            {
                return (false, size, null);
            }

            var response = await s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = parts },
                cancellationToken);
            completed = true;
            return (true, size, string.IsNullOrEmpty(response.ETag) ? MultipartETag(parts) : response.ETag);
        }
        finally
        {
            // Parts still in flight use buffers that go back to the pool: wait for them first.
            while (sending.Count > 0)
            {
                try
                {
                    await sending.Dequeue().Send;
                }
                catch (Exception)
                {
                    // The write has failed already; this part's own failure adds nothing.
                }
            }

            foreach (var buffer in rented)
            {
                buffers.Return(buffer);
            }

            if (!completed)
            {
                await AbortAsync(key, uploadId);
            }
        }
    }

    private async Task<PartETag> SendPartAsync(string key, string uploadId, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var response = await s3.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = new MemoryStream(buffer, 0, length, writable: false),
                UseChunkEncoding = false,
                DisablePayloadSigning = unsignedPayload,
            },
            cancellationToken);
        return new PartETag(number, response.ETag);
    }

    /// <summary>
    /// Gives the parts back. Best effort: some S3-compatible servers (s3rver) do not implement
    /// AbortMultipartUpload; their unfinished parts stay invisible until the bucket's lifecycle rule
    /// (AbortIncompleteMultipartUpload, see docs/scale-out.md) removes them.
    /// </summary>
    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonS3Exception or OperationCanceledException or HttpRequestException)
        {
            // Nothing was completed, so nothing is visible; see the remark above.
        }
    }

    /// <summary>
    /// The ETag S3 gives an object completed from these parts: the MD5 of the parts' MD5s, a dash and the part
    /// count. Ceph RGW (16.2) answers CompleteMultipartUpload with an empty ETag though its HEAD shows this
    /// one. Null when a part's ETag is not an MD5 (encrypted objects); a wrong value only makes the commit
    /// read the chunk back instead of copying it, since the copy requires the ETag to match.
    /// </summary>
    private static string? MultipartETag(List<PartETag> parts)
    {
        var digests = new byte[parts.Count * 16];
        for (var i = 0; i < parts.Count; i++)
        {
            var hex = parts[i].ETag?.Trim('"');
            if (hex is not { Length: 32 } || !hex.All(char.IsAsciiHexDigit))
            {
                return null;
            }

            Convert.FromHexString(hex, digests.AsSpan(i * 16, 16), out _, out _);
        }

#pragma warning disable CA5351 // S3's ETag format, not a security check: the digest is verified with SHA-256.
        var md5 = MD5.HashData(digests);
#pragma warning restore CA5351
        return $"\"{Convert.ToHexStringLower(md5)}-{parts.Count}\"";
    }

    private static void AddMetadata(MetadataCollection target, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var (name, value) in metadata)
        {
            target.Add(name, value);
        }
    }

    /// <summary>Reads until the buffer is full or the source ends (network reads return a few kilobytes at a time).</summary>
    private async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < partSize && (read = await source.ReadAsync(buffer.AsMemory(filled, partSize - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }
}
