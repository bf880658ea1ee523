using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>Bytes of uploads in progress, kept apart from committed blobs until verified.</summary>
public interface IUploadStaging
{
    Task CreateStagingAsync(Guid upload, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="content"/> at <paramref name="offset"/> (dropping anything staged past it,
    /// e.g. the remains of an interrupted chunk), feeding every byte to <paramref name="hasher"/> when given.
    /// Returns the staged size afterwards, with those bytes durable (the caller acknowledges it to the client),
    /// or null when the upload is unknown or busy.
    /// </summary>
    Task<long?> WriteStagingAsync(Guid upload, long offset, Stream content, System.Security.Cryptography.IncrementalHash? hasher, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the first <paramref name="size"/> staged bytes under <paramref name="expected"/> when they hash to it,
    /// atomically and durably; nothing becomes visible under any digest otherwise. <paramref name="hashed"/> is
    /// their digest as this instance computed it while writing them, when it kept one: then the store need not
    /// read them back to verify them (it still must when another instance may have written any of them).
    /// </summary>
    /// <returns>The outcome with the digest the bytes really have; null when fewer bytes are staged or the upload is unknown.</returns>
    Task<IngestResult?> CommitStagingAsync(Guid upload, Digest expected, long size, Digest? hashed, CancellationToken cancellationToken);

    Task DeleteStagingAsync(Guid upload, CancellationToken cancellationToken);
}
