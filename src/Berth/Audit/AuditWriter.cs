using Berth.Access.Audit;

namespace Berth.Audit;

/// <summary>Drains the audit queue into the metadata store; on shutdown it writes what is left before stopping.</summary>
internal sealed class AuditWriter(AuditTrail trail, IAuditLog log, ILogger<AuditWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: entries queued before shutdown must still be written.
        await foreach (var entry in trail.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await log.AppendAsync(entry, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "audit entry lost: {Kind} {Outcome} {Subject} {Repository}", entry.Kind, entry.Outcome, entry.Subject, entry.Repository);
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        trail.Complete();
        return base.StopAsync(cancellationToken);
    }
}
