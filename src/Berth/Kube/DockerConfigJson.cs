using System.Text.Json;

namespace Berth.Kube;

/// <summary>
/// The <c>.dockerconfigjson</c> of the pull secret: <c>{"auths":{"host[:port]":{"identitytoken":"…"}}}</c>.
/// go-containerregistry's Kubernetes keychain (Flux) and containers/image (skopeo <c>--authfile</c>)
/// both look the entry up by host[:port] and, given an <c>identitytoken</c>, run the OAuth2 refresh
/// grant against the realm. No <c>auth</c> field: a refresh token is not a Basic password, and a
/// client that found one would send it as such and be refused.
/// </summary>
internal static class DockerConfigJson
{
    public const string SecretType = "kubernetes.io/dockerconfigjson";
    public const string DataKey = ".dockerconfigjson";

    public static byte[] Create(string registryKey, string identityToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("auths");
            writer.WriteStartObject(registryKey);
            writer.WriteString("identitytoken", identityToken);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
