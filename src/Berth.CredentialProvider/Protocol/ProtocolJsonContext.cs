using System.Text.Json.Serialization;

namespace Berth.CredentialProvider.Protocol;

/// <summary>Source-generated (reflection-free) JSON for Native AOT.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(CredentialProviderRequest))]
[JsonSerializable(typeof(CredentialProviderResponse))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
