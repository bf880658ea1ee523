using Berth.Registry.Metadata;

namespace Berth.Registry.Uploads;

/// <summary>
/// One chunk's claim on its session (see <see cref="UploadClaim"/>) while the bytes stream in: renewed
/// every quarter of the claim timeout, and <see cref="Token"/> cancelled as soon as the claim is lost
/// (another request took it over) or could not be renewed for half the timeout.
/// </summary>
internal sealed class UploadClaimLease : IAsyncDisposable
{
    private readonly IUploadSessionStore sessions;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private readonly CancellationTokenSource lost;
    private readonly CancellationTokenSource writing;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task renewals;

    private UploadClaimLease(IUploadSessionStore sessions, Guid upload, long offset, DateTimeOffset at, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        this.sessions = sessions;
        this.time = time;
        this.timeout = timeout;
        Upload = upload;
        Offset = offset;
        At = at;
        lost = new CancellationTokenSource(timeout / 2, time);
        writing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token);
        renewals = RenewAsync();
    }

    public Guid Upload { get; }

    /// <summary>Where the chunk starts: the size the session had acknowledged when it was claimed.</summary>
    public long Offset { get; }

    /// <summary>The claim's time as last stored; with the size, what identifies this claim.</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>For the staging write: cancelled with the request, or when the claim is (or may be) lost.</summary>
    public CancellationToken Token => writing.Token;

    public bool IsLost => lost.IsCancellationRequested;

    /// <summary>
    /// Claims <paramref name="stored"/> (as just read) at its acknowledged size; null when a live chunk
    /// holds it or another request moved it on first.
    /// </summary>
    public static async Task<UploadClaimLease?> AcquireAsync(IUploadSessionStore sessions, UploadSession stored, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!UploadClaim.IsFree(stored, now, timeout))
        {
            return null;
        }

        var offset = UploadClaim.Acknowledged(stored.Size);
        if (!await sessions.UpdateUploadProgressAsync(stored.Id, stored.Size, stored.UpdatedAt, UploadClaim.Claimed(offset), now, cancellationToken))
        {
            return null;
        }

        return new UploadClaimLease(sessions, stored.Id, offset, now, timeout, time, cancellationToken);
    }

    /// <summary>
    /// Stops renewing, then sets the session's size to <paramref name="size"/> if the claim is still this
    /// one; false when another request took it over or the upload is gone.
    /// </summary>
    /// <remarks>
    /// Not cancellable: a client that hangs up mid-chunk cancels the request, and the claim must still be
    /// released or the upload stays locked until the claim times out.
    /// </remarks>
    public async Task<bool> ReleaseAsync(long size)
    {
        await StopAsync();
        return await sessions.UpdateUploadProgressAsync(Upload, UploadClaim.Claimed(Offset), At, size, time.GetUtcNow(), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        writing.Dispose();
        lost.Dispose();
        stopping.Dispose();
    }

    private async Task StopAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        await renewals;
    }

    /// <remarks>
    /// A renewal is never cancelled half-way: had it committed unseen, <see cref="At"/> would be wrong and
    /// the release would fail. A renewal that fails with an error is tried again at the next tick; the
    /// deadline on <see cref="lost"/> stops the writer if none succeeds in time.
    /// </remarks>
    private async Task RenewAsync()
    {
        // Runs synchronously up to the first wait, so the timer exists when the constructor returns.
        using var timer = new PeriodicTimer(timeout / 4, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                var at = time.GetUtcNow();
                bool renewed;
                try
                {
                    renewed = await sessions.UpdateUploadProgressAsync(Upload, UploadClaim.Claimed(Offset), At, UploadClaim.Claimed(Offset), at, CancellationToken.None);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    continue;
                }

                if (!renewed)
                {
                    await lost.CancelAsync();
                    return;
                }

                At = at;
                var left = (timeout / 2) - (time.GetUtcNow() - at);
                lost.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
