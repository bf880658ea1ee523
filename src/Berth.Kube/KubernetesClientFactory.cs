using k8s;
using k8s.Exceptions;

namespace Berth.Kube;

/// <summary>In-cluster configuration (service-account token and CA under /var/run/secrets/kubernetes.io) unless a kubeconfig is given.</summary>
internal static class KubernetesClientFactory
{
    public static Kubernetes Create(string? kubeconfig)
    {
        try
        {
            var config = kubeconfig is not null
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.InClusterConfig();
            return new Kubernetes(config);
        }
        catch (KubeConfigException e)
        {
            throw new RefreshFailure(kubeconfig is null
                ? $"no in-cluster configuration and no --kubeconfig: {e.Message}"
                : $"kubeconfig {kubeconfig} unusable: {e.Message}", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RefreshFailure($"kubeconfig {kubeconfig} not found", e);
        }
    }
}
