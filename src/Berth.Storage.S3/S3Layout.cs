using System.Globalization;
using Berth.Registry.Content;

namespace Berth.Storage.S3;

/// <summary>
/// The keys Berth uses in the bucket, all under the configured prefix:
/// <code>
/// prefix/
///   blobs/sha256/ab/ab12…ef            committed content, named by its digest; written only after its bytes were verified
///   uploads/&lt;uuid&gt;/session             marker of an upload session (its bytes are staged beside it)
///   uploads/&lt;uuid&gt;/&lt;offset, 20 digits&gt;  one staged chunk, starting at that offset of the upload
/// </code>
/// The same <c>blobs/</c> tree as the filesystem store, so a data folder's <c>blobs/</c> can be copied
/// into a bucket as it is. Staged chunks are whole objects: an interrupted chunk never became an object.
/// </summary>
internal sealed class S3Layout(string prefix)
{
    private const string BlobsFolder = "blobs/";
    private const string UploadsFolder = "uploads/";
    private const string SessionMarker = "session";

    public string Prefix { get; } = prefix;

    public string BlobsPrefix => Prefix + BlobsFolder;

    public string UploadsPrefix => Prefix + UploadsFolder;

    public string Blob(Digest digest) => $"{Prefix}{BlobsFolder}{digest.Algorithm}/{digest.Hex[..2]}/{digest.Hex}";

    public string UploadFolder(Guid upload) => $"{Prefix}{UploadsFolder}{upload:N}/";

    public string UploadMarker(Guid upload) => UploadFolder(upload) + SessionMarker;

    public string Chunk(Guid upload, long offset) => UploadFolder(upload) + offset.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>The digest a key under <c>blobs/</c> names, when it is one this layout writes.</summary>
    public bool TryParseBlob(string key, out Digest digest)
    {
        digest = default;
        if (!key.StartsWith(BlobsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key[BlobsPrefix.Length..].Split('/');
        return parts.Length == 3
            && Digest.TryParse(parts[0] + ":" + parts[2], out digest)
            && Blob(digest) == key;
    }

    /// <summary>The offset of a staged chunk key of <paramref name="upload"/>; false for the marker or anything else.</summary>
    public bool TryParseChunk(Guid upload, string key, out long offset)
    {
        offset = 0;
        var folder = UploadFolder(upload);
        return key.StartsWith(folder, StringComparison.Ordinal)
            && key.Length == folder.Length + 20
            && long.TryParse(key.AsSpan(folder.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    /// <summary>The upload a key under <c>uploads/</c> belongs to.</summary>
    public bool TryParseUpload(string key, out Guid upload)
    {
        upload = Guid.Empty;
        if (!key.StartsWith(UploadsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(UploadsPrefix.Length);
        var slash = rest.IndexOf('/');
        return slash == 32 && Guid.TryParseExact(rest[..slash], "N", out upload);
    }
}
