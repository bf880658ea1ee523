using System.Text.Json.Serialization;

namespace Berth.CredentialProvider.Protocol;

/// <summary>
/// What the plugin writes to stdout. The kubelet decodes it strictly, so this type carries only the
/// fields of credentialprovider/v1 as of Kubernetes 1.34: apiVersion, kind, cacheKeyType,
/// cacheDuration, auth.
/// </summary>
internal sealed record CredentialProviderResponse
{
    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = ProtocolNames.ResponseKind;

    [JsonPropertyName("cacheKeyType")]
    public required string CacheKeyType { get; init; }

    /// <summary>A Go duration string ("4m5s"); null lets the kubelet use defaultCacheDuration.</summary>
    [JsonPropertyName("cacheDuration")]
    public string? CacheDuration { get; init; }

    [JsonPropertyName("auth")]
    public required Dictionary<string, AuthConfig> Auth { get; init; }
}
