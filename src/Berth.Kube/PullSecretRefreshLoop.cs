namespace Berth.Kube;

/// <summary>
/// Runs refreshes once (CronJob) or every interval (sidecar) until cancelled (SIGTERM). A failed
/// run in a loop is retried after a minute, at most <see cref="MaxConsecutiveFailures"/> times in a
/// row; then the process exits non-zero so the pod's restarts and events show the trouble.
/// </summary>
internal sealed class PullSecretRefreshLoop(PullSecretRefresher refresher, TimeProvider time, TextWriter output, TextWriter error)
{
    public const int MaxConsecutiveFailures = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>Returns the process exit code: 0 when the last run succeeded (or the loop was stopped), 1 after a failure.</summary>
    public async Task<int> RunAsync(PullSecretRefreshOptions options, TimeSpan? interval, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            bool ok;
            try
            {
                var summary = await refresher.RefreshAsync(options, cancellationToken);
                await output.WriteLineAsync($"berth kube refresh-pull-secret: {summary.Describe(options)}");
                ok = true;
            }
            catch (RefreshFailure e)
            {
                await error.WriteLineAsync($"berth kube refresh-pull-secret: {e.Message}");
                ok = false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }

            failures = ok ? 0 : failures + 1;
            if (interval is not { } every)
            {
                return ok ? 0 : 1;
            }

            if (failures >= MaxConsecutiveFailures)
            {
                await error.WriteLineAsync($"berth kube refresh-pull-secret: {failures} failures in a row; giving up");
                return 1;
            }

            try
            {
                await Task.Delay(ok ? every : (RetryDelay < every ? RetryDelay : every), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ok ? 0 : 1;
            }
        }
    }
}
