using Berth.Access.Audit;

namespace Berth.Audit;

/// <summary>
/// Drains the audit queue into the metadata store, as many entries per transaction as are waiting
/// (up to a bound), so that a burst of pulls costs a few commits, not one each. On shutdown it
/// writes what is left before stopping.
/// </summary>
internal sealed class AuditWriter(AuditTrail trail, IAuditLog log, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>(MaxBatch);
        var reader = trail.Reader;
        // Not cancelled by stoppingToken: entries queued before shutdown must still be written.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
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
