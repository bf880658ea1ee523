namespace Berth.Kube;

/// <summary>
/// An expected way for reading a cluster's issuer to fail (kubeconfig, network, credentials, RBAC, an
/// odd answer), with one message that says what to do next. Never carries a credential.
/// </summary>
public sealed class ClusterDiscoveryFailure : Exception
{
    public ClusterDiscoveryFailure()
    {
    }

    public ClusterDiscoveryFailure(string message)
        : base(message)
    {
    }

    public ClusterDiscoveryFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
