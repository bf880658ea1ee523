using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>Bytes of uploads in progress, kept apart from committed blobs until verified.</summary>
public interface IUploadStaging
{
    Task CreateStagingAsync(Guid upload, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="content"/> at <paramref name="offset"/> (dropping anything staged past it,
    /// e.g. the remains of an interrupted chunk), feeding every byte to <paramref name="hasher"/> when given.
    /// Returns the staged size afterwards, or null when the upload is unknown or busy.
    /// </summary>
    Task<long?> WriteStagingAsync(Guid upload, long offset, Stream content, System.Security.Cryptography.IncrementalHash? hasher, CancellationToken cancellationToken);

    /// <summary>Hashes the first <paramref name="size"/> staged bytes (used when no running hash survived); null when fewer are staged.</summary>
    Task<Digest?> HashStagingAsync(Guid upload, string algorithm, long size, CancellationToken cancellationToken);

    /// <summary>Cuts the staged bytes to <paramref name="size"/>, makes them durable and moves them under <paramref name="digest"/> atomically.</summary>
    Task CommitStagingAsync(Guid upload, Digest digest, long size, CancellationToken cancellationToken);

    Task DeleteStagingAsync(Guid upload, CancellationToken cancellationToken);
}
