namespace Berth.Kube;

/// <summary>
/// An expected way for a kube helper (refresh-pull-secret, sync-jwks) to fail (token file, registry, exchange, Kubernetes API), with the
/// one line an operator reads in the CronJob's log. Never carries a token.
/// </summary>
public sealed class RefreshFailure : Exception
{
    public RefreshFailure()
    {
    }

    public RefreshFailure(string message)
        : base(message)
    {
    }

    public RefreshFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
