using System.Threading.Channels;
using Berth.Access.Audit;

namespace Berth.Audit;

/// <summary>
/// Where requests drop audit entries. Entries are written by <see cref="AuditWriter"/> in the
/// background so a pull does not wait for a database write; the queue is bounded, and when it is
/// full requests wait for room rather than lose entries.
/// </summary>
internal sealed class AuditTrail
{
    private const int Capacity = 10_000;

    private readonly Channel<AuditEntry> queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<AuditEntry> Reader => queue.Reader;

    public ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        queue.Writer.TryWrite(entry) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(entry, cancellationToken);

    /// <summary>No more entries; the writer drains what is queued and stops.</summary>
    public void Complete() => queue.Writer.TryComplete();
}
