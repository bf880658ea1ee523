namespace Berth.Hosting;

/// <summary>The background workers' wait for their next run.</summary>
internal static class StoppingTimer
{
    /// <summary>
    /// False once stopping, rather than a cancellation thrown out of the worker: the host disposes the
    /// workers without stopping them when its start fails (say, the port is taken), and would report
    /// that cancellation as the worker crashing, with a stack trace, after the one line that matters.
    /// </summary>
    public static async Task<bool> TickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
