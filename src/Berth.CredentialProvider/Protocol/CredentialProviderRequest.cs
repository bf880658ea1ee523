using System.Text.Json.Serialization;

namespace Berth.CredentialProvider.Protocol;

/// <summary>
/// What the kubelet writes to the plugin's stdin (k8s.io/kubelet/pkg/apis/credentialprovider/v1,
/// Kubernetes 1.34). Unknown fields are ignored: a newer kubelet may send more.
/// </summary>
internal sealed record CredentialProviderRequest
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("image")]
    public string? Image { get; init; }

    /// <summary>Sent only when the provider's config has tokenAttributes.</summary>
    [JsonPropertyName("serviceAccountToken")]
    public string? ServiceAccountToken { get; init; }

    [JsonPropertyName("serviceAccountAnnotations")]
    public Dictionary<string, string>? ServiceAccountAnnotations { get; init; }
}
