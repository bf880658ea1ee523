using Berth.Registry.Blobs;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Registry.Uploads;

/// <summary>
/// The upload state machine of the distribution spec: sessions, chunks in order, closing with a
/// verified digest, single-request uploads and cross-repository mounts. A blob becomes visible in a
/// repository only once its bytes are committed under their verified digest and then linked.
/// </summary>
public sealed class BlobUploadService : IDisposable
{
    private readonly IUploadSessionStore sessions;
    private readonly IUploadStaging staging;
    private readonly IBlobStore blobs;
    private readonly IBlobLinkStore links;
    private readonly RegistryOptions options;
    private readonly TimeProvider time;
    private readonly RunningHashes runningHashes = new();

    public BlobUploadService(IUploadSessionStore sessions, IUploadStaging staging, IBlobStore blobs, IBlobLinkStore links, RegistryOptions options, TimeProvider time)
    {
        this.sessions = sessions;
        this.staging = staging;
        this.blobs = blobs;
        this.links = links;
        this.options = options;
        this.time = time;
    }

    public async Task<UploadSession> StartAsync(string repository, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new UploadSession(Guid.NewGuid(), repository, 0, now, now);
        await staging.CreateStagingAsync(session.Id, cancellationToken);
        await sessions.CreateUploadAsync(session, cancellationToken);
        RegistryMetrics.UploadsInProgress.Add(1);
        return session;
    }

    /// <summary>The session with the size its chunks acknowledged so far (a chunk being written is not counted).</summary>
    public async Task<UploadSession?> FindAsync(string repository, Guid upload, CancellationToken cancellationToken)
    {
        var session = await FindStoredAsync(repository, upload, cancellationToken);
        return session is null ? null : session with { Size = UploadClaim.Acknowledged(session.Size) };
    }

    /// <summary>Appends a chunk. <paramref name="rangeStart"/>/<paramref name="rangeEnd"/> come from Content-Range when sent.</summary>
    public async Task<UploadResult> AppendAsync(string repository, Guid upload, long? rangeStart, long? rangeEnd, Stream content, CancellationToken cancellationToken)
    {
        var session = await FindStoredAsync(repository, upload, cancellationToken);
        if (session is null)
        {
            return new UploadResult(UploadOutcome.UnknownUpload, upload, 0);
        }

        return await AppendAsync(session, rangeStart, rangeEnd, content, cancellationToken);
    }

    /// <summary>Closes the upload, optionally with a last chunk, and commits it when the digest matches.</summary>
    public async Task<UploadResult> CompleteAsync(string repository, Guid upload, Digest digest, long? rangeStart, long? rangeEnd, Stream? lastChunk, CancellationToken cancellationToken)
    {
        var session = await FindStoredAsync(repository, upload, cancellationToken);
        if (session is null)
        {
            return new UploadResult(UploadOutcome.UnknownUpload, upload, 0);
        }

        if (lastChunk is null && UploadClaim.IsClaimed(session.Size))
        {
            // A live chunk's bytes are not acknowledged yet, so closing now would commit fewer than the
            // client sent; the claim of a holder that is gone is taken over and released instead.
            await using var claim = await UploadClaimLease.AcquireAsync(sessions, session, options.UploadClaimTimeout, time, cancellationToken);
            if (claim is null || !await claim.ReleaseAsync(claim.Offset))
            {
                return new UploadResult(UploadOutcome.RangeNotSatisfiable, upload, UploadClaim.Acknowledged(session.Size));
            }
        }

        if (lastChunk is not null && rangeStart is null && rangeEnd is null && session.Size == 0)
        {
            return await CompleteInOneAsync(session, digest, lastChunk, cancellationToken);
        }

        var size = UploadClaim.Acknowledged(session.Size);
        if (lastChunk is not null)
        {
            var appended = await AppendAsync(session, rangeStart, rangeEnd, lastChunk, cancellationToken);
            if (appended.Outcome != UploadOutcome.Accepted)
            {
                return appended;
            }

            size = appended.Size;
        }

        // The running hash makes reading the staged bytes back unnecessary; without it (another replica
        // took a chunk, the process restarted) the store verifies them as it commits.
        var hashed = digest.Algorithm == Digest.Sha256 ? runningHashes.Finish(upload, size) : null;
        var committed = hashed is not null && hashed != digest
            ? new IngestResult(false, hashed.Value, size)
            : await staging.CommitStagingAsync(upload, digest, size, hashed, cancellationToken);
        if (committed is null)
        {
            return new UploadResult(UploadOutcome.UnknownUpload, upload, 0);
        }

        if (!committed.Committed)
        {
            await CancelAsync(session.Id, cancellationToken);
            return new UploadResult(UploadOutcome.DigestMismatch, upload, size, committed.Actual);
        }

        await links.LinkBlobAsync(repository, digest, size, cancellationToken);
        await sessions.DeleteUploadAsync(upload, cancellationToken);
        RegistryMetrics.UploadsInProgress.Add(-1);
        RegistryMetrics.Pushed.Add(size, RegistryMetrics.Kind("blob"));
        return new UploadResult(UploadOutcome.Completed, upload, size, digest);
    }

    /// <summary>
    /// The whole blob in the closing PUT of an upload that has no bytes yet (containerd's way): the digest
    /// is known before the first byte, so the bytes go straight to the blob store, verified on the way in,
    /// instead of being staged and then committed (on S3 that would move every byte twice).
    /// </summary>
    /// <remarks>
    /// The session is claimed meanwhile, so no chunk can be staged at the same time; an interrupted PUT
    /// leaves the session empty (nothing was acknowledged), so the client starts the PUT again.
    /// </remarks>
    private async Task<UploadResult> CompleteInOneAsync(UploadSession session, Digest digest, Stream content, CancellationToken cancellationToken)
    {
        await using var claim = await UploadClaimLease.AcquireAsync(sessions, session, options.UploadClaimTimeout, time, cancellationToken);
        if (claim is null)
        {
            return new UploadResult(UploadOutcome.RangeNotSatisfiable, session.Id, 0);
        }

        IngestResult ingested;
        try
        {
            ingested = await blobs.IngestAsync(content, digest, claim.Token);
        }
        catch (OperationCanceledException) when (claim.IsLost && !cancellationToken.IsCancellationRequested)
        {
            await claim.ReleaseAsync(0);
            return await TakenOverAsync(session, cancellationToken);
        }
        catch
        {
            await claim.ReleaseAsync(0);
            throw;
        }

        if (!ingested.Committed)
        {
            await claim.ReleaseAsync(0);
            await CancelAsync(session.Id, cancellationToken);
            return new UploadResult(UploadOutcome.DigestMismatch, session.Id, ingested.Size, ingested.Actual);
        }

        await links.LinkBlobAsync(session.Repository, digest, ingested.Size, cancellationToken);
        await CancelAsync(session.Id, cancellationToken);
        RegistryMetrics.Pushed.Add(ingested.Size, RegistryMetrics.Kind("blob"));
        return new UploadResult(UploadOutcome.Completed, session.Id, ingested.Size, digest);
    }

    public async Task<bool> CancelAsync(string repository, Guid upload, CancellationToken cancellationToken)
    {
        var session = await FindAsync(repository, upload, cancellationToken);
        if (session is null)
        {
            return false;
        }

        await CancelAsync(upload, cancellationToken);
        return true;
    }

    /// <summary>A whole blob in one request (<c>POST ?digest=</c>).</summary>
    public async Task<UploadResult> PushAsync(string repository, Digest digest, Stream content, CancellationToken cancellationToken)
    {
        var ingested = await blobs.IngestAsync(content, digest, cancellationToken);
        if (!ingested.Committed)
        {
            return new UploadResult(UploadOutcome.DigestMismatch, Guid.Empty, ingested.Size, ingested.Actual);
        }

        await links.LinkBlobAsync(repository, digest, ingested.Size, cancellationToken);
        RegistryMetrics.Pushed.Add(ingested.Size, RegistryMetrics.Kind("blob"));
        return new UploadResult(UploadOutcome.Completed, Guid.Empty, ingested.Size, digest);
    }

    /// <summary>
    /// Links a blob of <paramref name="from"/> into <paramref name="repository"/>; false when the source
    /// does not have it, its bytes are missing, or garbage collection is deleting it right now. False
    /// makes the handler open an upload session instead, so the client pushes the bytes again.
    /// </summary>
    /// <remarks>
    /// A mount brings no bytes of its own, so it must not race a deletion: the store links atomically
    /// from the source link (which garbage collection cannot drop meanwhile) and refuses a digest that a
    /// run has claimed; a claim in turn needs the digest to be unlinked everywhere. The bytes are checked
    /// before, because a blob lost outside Berth must not be mounted either.
    /// </remarks>
    public async Task<bool> MountAsync(string repository, Digest digest, string from, CancellationToken cancellationToken)
    {
        if (await blobs.StatAsync(digest, cancellationToken) is null)
        {
            return false;
        }

        return await links.MountBlobAsync(repository, digest, from, cancellationToken);
    }

    /// <summary>Removes sessions idle for longer than the configured expiry, with their staged bytes.</summary>
    public async Task<int> ExpireIdleAsync(CancellationToken cancellationToken)
    {
        const int batch = 100;
        const int maxBatches = 100;
        var idleSince = time.GetUtcNow() - options.UploadExpiry;
        var removed = 0;
        for (var round = 0; round < maxBatches; round++)
        {
            var expired = await sessions.ListExpiredUploadsAsync(idleSince, batch, cancellationToken);
            foreach (var session in expired)
            {
                await CancelAsync(session.Id, cancellationToken);
                removed++;
            }

            if (expired.Count < batch)
            {
                break;
            }
        }

        return removed;
    }

    public void Dispose() => runningHashes.Dispose();

    private async Task<UploadSession?> FindStoredAsync(string repository, Guid upload, CancellationToken cancellationToken)
    {
        var session = await sessions.GetUploadAsync(upload, cancellationToken);
        return session is not null && session.Repository == repository ? session : null;
    }

    /// <summary>
    /// Claims the session at its acknowledged size before staging a byte (see <see cref="UploadClaim"/>),
    /// writes while the claim is renewed, then releases it at the new size, or at the old one when the
    /// chunk is refused. <paramref name="stored"/> is the session as read, claimed or not.
    /// </summary>
    private async Task<UploadResult> AppendAsync(UploadSession stored, long? rangeStart, long? rangeEnd, Stream content, CancellationToken cancellationToken)
    {
        var offset = UploadClaim.Acknowledged(stored.Size);
        if (rangeStart is { } start && start != offset)
        {
            return new UploadResult(UploadOutcome.RangeNotSatisfiable, stored.Id, offset);
        }

        await using var claim = await UploadClaimLease.AcquireAsync(sessions, stored, options.UploadClaimTimeout, time, cancellationToken);
        if (claim is null)
        {
            return new UploadResult(UploadOutcome.RangeNotSatisfiable, stored.Id, offset);
        }

        var hasher = runningHashes.Take(stored.Id, offset);
        long? written;
        try
        {
            written = await staging.WriteStagingAsync(stored.Id, offset, content, hasher, claim.Token);
        }
        catch (OperationCanceledException) when (claim.IsLost && !cancellationToken.IsCancellationRequested)
        {
            // Stopped writing because another request took the upload over (or may be about to).
            hasher?.Dispose();
            await claim.ReleaseAsync(offset);
            return await TakenOverAsync(stored, cancellationToken);
        }
        catch (Exception e)
        {
            hasher?.Dispose();
            var full = StorageFull.Is(e);
            if (full)
            {
                // The client cannot finish this upload on a full disk, and its staged bytes are what
                // keeps the disk full: they go first (so the release below can be written, e.g. to a
                // SQLite file on the same disk), then the whole upload, rather than at its expiry.
                await staging.DeleteStagingAsync(stored.Id, CancellationToken.None);
            }

            await claim.ReleaseAsync(offset);
            if (full)
            {
                await CancelAsync(stored.Id, CancellationToken.None);
            }

            throw;
        }

        var declaredEnd = rangeEnd ?? (written - 1);
        if (written is null || written - 1 != declaredEnd)
        {
            hasher?.Dispose();
            await claim.ReleaseAsync(offset);
            var outcome = written is null ? UploadOutcome.RangeNotSatisfiable : UploadOutcome.SizeMismatch;
            return new UploadResult(outcome, stored.Id, offset);
        }

        var newSize = written.Value;
        if (!await claim.ReleaseAsync(newSize))
        {
            hasher?.Dispose();
            return await TakenOverAsync(stored, cancellationToken);
        }

        if (hasher is not null)
        {
            runningHashes.Return(stored.Id, hasher, newSize);
        }

        return new UploadResult(UploadOutcome.Accepted, stored.Id, newSize);
    }

    /// <summary>
    /// The answer to a chunk whose claim was taken over (its bytes are not acknowledged) or whose upload
    /// was cancelled or expired meanwhile: where the upload stands now, or that it is gone.
    /// </summary>
    private async Task<UploadResult> TakenOverAsync(UploadSession stored, CancellationToken cancellationToken)
    {
        var now = await sessions.GetUploadAsync(stored.Id, cancellationToken);
        return now is null
            ? new UploadResult(UploadOutcome.UnknownUpload, stored.Id, 0)
            : new UploadResult(UploadOutcome.RangeNotSatisfiable, stored.Id, UploadClaim.Acknowledged(now.Size));
    }

    private async Task CancelAsync(Guid upload, CancellationToken cancellationToken)
    {
        runningHashes.Forget(upload);
        await staging.DeleteStagingAsync(upload, cancellationToken);
        await sessions.DeleteUploadAsync(upload, cancellationToken);
        RegistryMetrics.UploadsInProgress.Add(-1);
    }
}
