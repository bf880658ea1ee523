using System.Text.Json.Serialization;

namespace Berth.CredentialProvider.Protocol;

/// <summary>Basic credentials for one registry key of <see cref="CredentialProviderResponse.Auth"/>.</summary>
internal sealed record AuthConfig(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password);
