namespace Berth.Kube;

/// <summary>What <c>berth kube refresh-pull-secret</c> was asked to do, parsed and checked.</summary>
/// <param name="Registry">The registry's base URL, e.g. <c>https://registry.example.com</c>.</param>
/// <param name="TokenFile">The projected service-account token (audience = the registry).</param>
/// <param name="Namespace">Namespace of the pull secret.</param>
/// <param name="SecretName">Name of the pull secret.</param>
/// <param name="Kubeconfig">A kubeconfig file; null means in-cluster configuration.</param>
/// <param name="Service">The token service name; null means: discover it from the <c>/v2/</c> challenge.</param>
public sealed record PullSecretRefreshOptions(
    Uri Registry,
    string TokenFile,
    string Namespace,
    string SecretName,
    string? Kubeconfig,
    string? Service)
{
    /// <summary>The <c>auths</c> key clients look up: the registry's host[:port], no scheme, no path.</summary>
    public string RegistryKey => Registry.Authority;
}
