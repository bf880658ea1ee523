namespace Berth.Kube;

/// <summary>
/// <c>berth kube refresh-pull-secret</c> put together: the Kubernetes client (in-cluster unless a
/// kubeconfig is given), the token exchange with the registry and the refresh loop.
/// </summary>
public static class PullSecretRefresh
{
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(30);

    /// <param name="interval">Null: refresh once (CronJob); otherwise every interval until cancelled (sidecar).</param>
    /// <returns>The process exit code (see <see cref="PullSecretRefreshLoop.RunAsync"/>).</returns>
    /// <exception cref="RefreshFailure">The client configuration is unusable.</exception>
    public static async Task<int> RunAsync(PullSecretRefreshOptions options, TimeSpan? interval, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var kubernetes = KubernetesClientFactory.Create(options.Kubeconfig);
        using var http = new HttpClient { Timeout = RegistryTimeout };
        var refresher = new PullSecretRefresher(new RegistryCredentialExchange(http, TimeProvider.System), new PullSecretWriter(kubernetes));
        return await new PullSecretRefreshLoop(refresher, TimeProvider.System, output, error).RunAsync(options, interval, cancellationToken);
    }
}
