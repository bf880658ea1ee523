using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>A blob store whose clients can fetch committed blobs from it directly (S3: a presigned GET).</summary>
public interface IBlobDownloadUrls
{
    /// <summary>
    /// A URL that GETs the blob's bytes for <paramref name="lifetime"/>. It asks the store nothing: the
    /// caller knows the blob is committed (its link in the metadata store), and a blob lost outside Berth
    /// answers 404 from the store itself.
    /// </summary>
    Task<Uri> GetDownloadUriAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken);
}
