using Berth.Access.Audit;

namespace Berth.Audit;

/// <summary>
/// Drains the audit queue into the metadata store, as many entries per transaction as are waiting
/// (up to a bound), so that a burst of pulls costs a few commits, not one each. On shutdown it
/// writes what is left before stopping.
/// </summary>
/// <remarks>
/// When the queue holds less than a full batch, the writer first waits <see cref="GatherWindow"/> for
/// more: a commit costs ~85 µs and an entry ~15 µs once batches reach ~64 (Release, SQLite, measured),
/// and without the wait a busy token service woke the writer for 1–16 entries at a time (one per
/// waiting connection), ~20–40 µs an entry, so the audit row cost more than the ES256 signature. Nothing is dropped: entries only sit in the bounded
/// queue a few milliseconds longer, as they already did while a commit ran.
/// </remarks>
internal sealed class AuditWriter(AuditTrail trail, IAuditLog log, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 1000;

    /// <summary>Real time on purpose (not the injected clock): it paces I/O, it decides nothing.</summary>
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>(MaxBatch);
        var reader = trail.Reader;
        // Not cancelled by stoppingToken: entries queued before shutdown must still be written.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            if (reader.Count < MaxBatch)
            {
                await Task.Delay(GatherWindow, CancellationToken.None);
            }

            while (batch.Count < MaxBatch && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            try
            {
                await log.AppendBatchAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                AuditMetrics.Dropped.Add(batch.Count);
                logger.LogError(e, "{Count} audit entries lost, first: {Kind} {Outcome} {Subject} {Repository}", batch.Count, batch[0].Kind, batch[0].Outcome, batch[0].Subject, batch[0].Repository);
            }

            batch.Clear();
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        trail.Complete();
        return base.StopAsync(cancellationToken);
    }
}
