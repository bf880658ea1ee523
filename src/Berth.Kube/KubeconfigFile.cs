using k8s;
using k8s.Exceptions;
using YamlDotNet.Core;

namespace Berth.Kube;

/// <summary>
/// Finds and loads a kubeconfig the way kubectl does: the given file, else the files of <c>$KUBECONFIG</c>
/// (merged), else <c>~/.kube/config</c>; its current context.
/// </summary>
internal static class KubeconfigFile
{
    /// <returns>The client configuration and where it came from (for messages).</returns>
    /// <exception cref="ClusterDiscoveryFailure">No file, or one the client cannot use.</exception>
    public static async Task<(KubernetesClientConfiguration Config, string Source)> LoadAsync(string? path, CancellationToken cancellationToken)
    {
        var listed = Environment.GetEnvironmentVariable("KUBECONFIG")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        var (files, source) = path is not null ? ([path], $"kubeconfig {path}")
            : listed.Length > 0 ? (listed, $"$KUBECONFIG ({string.Join(Path.PathSeparator, listed)})")
            : (new[] { home }, $"kubeconfig {home}");
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            var what = path is not null || listed.Length == 0 ? source : $"{source}: {missing}";
            throw new ClusterDiscoveryFailure($"{what} not found: give --from-kubeconfig PATH, set KUBECONFIG, or export the keys (kubectl get --raw /openid/v1/jwks > jwks.json) and use --jwks-file");
        }

        try
        {
            // The client merges $KUBECONFIG's files as kubectl does only through BuildDefaultConfig; its later
            // fallbacks (in-cluster, localhost:8080) are out of reach here, since every listed file exists.
            var config = files.Length == 1
                ? await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(new FileInfo(files[0]))
                : KubernetesClientConfiguration.BuildDefaultConfig();
            cancellationToken.ThrowIfCancellationRequested();
            return (config, source);
        }
        catch (Exception e) when (e is KubeConfigException or YamlException or IOException)
        {
            throw new ClusterDiscoveryFailure($"{source} unusable: {e.Message}", e);
        }
    }
}
