namespace Berth.Hosting;

/// <summary>The background workers' wait for their next run, and the loop they all run around it.</summary>
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

    /// <summary>
    /// Runs <paramref name="work"/> (first at once when <paramref name="startAtOnce"/>, else after one tick)
    /// and again at every tick until stopping. A failed run is logged as <paramref name="failure"/> and
    /// retried at the next tick: one bad run (a database restart) must not end the worker for good.
    /// </summary>
    public static async Task RunEveryTickAsync(
        this PeriodicTimer timer, bool startAtOnce, Func<CancellationToken, Task> work, ILogger logger, string failure, CancellationToken stoppingToken)
    {
        if (!startAtOnce && !await timer.TickOrStopAsync(stoppingToken))
        {
            return;
        }

        do
        {
            if (!await TryRunAsync(work, logger, failure + "; retrying at the next interval", stoppingToken))
            {
                return;
            }
        }
        while (await timer.TickOrStopAsync(stoppingToken));
    }

    /// <summary>Runs <paramref name="work"/> once, logging a failure as <paramref name="failure"/>.</summary>
    /// <returns>False when it stopped because the host is stopping.</returns>
    public static async Task<bool> TryRunAsync(Func<CancellationToken, Task> work, ILogger logger, string failure, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Failure}", failure);
        }

        return true;
    }
}
