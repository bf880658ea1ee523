namespace Berth.Kube;

/// <summary>
/// One refresh, straight through: read the pod's token → exchange it at Berth for a refresh token →
/// write the pull secret. Each step fails with a <see cref="RefreshFailure"/> naming what went wrong.
/// </summary>
internal sealed class PullSecretRefresher(RegistryCredentialExchange exchange, PullSecretWriter writer)
{
    public async Task<RefreshSummary> RefreshAsync(PullSecretRefreshOptions options, CancellationToken cancellationToken)
    {
        var workloadToken = await WorkloadTokenFile.ReadAsync(options.TokenFile, cancellationToken);
        var credential = await exchange.ExchangeAsync(options, workloadToken, cancellationToken);
        var annotations = PullSecretAnnotations.For(options, credential, WorkloadTokenFile.Subject(workloadToken));
        var created = await writer.WriteAsync(
            options.Namespace,
            options.SecretName,
            DockerConfigJson.Create(options.RegistryKey, credential.RefreshToken),
            annotations,
            cancellationToken);
        return new RefreshSummary(created, credential.Service, credential.RefreshExpiresAt);
    }
}
