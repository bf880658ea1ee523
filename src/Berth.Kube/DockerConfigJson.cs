using System.Text.Json;

namespace Berth.Kube;

/// <summary>
/// The <c>.dockerconfigjson</c> of the pull secret, shaped as <c>docker login</c> stores an identity
/// token: <c>{"auths":{"host[:port]":{"auth":base64("&lt;token&gt;:"),"identitytoken":"…"}}}</c>.
/// go-containerregistry's Kubernetes keychain (Flux) looks the entry up by host[:port] and, given an
/// <c>identitytoken</c>, runs the OAuth2 refresh grant against the realm. containers/image (skopeo
/// <c>--authfile</c>) does the same, but skips an entry whose <c>auth</c> does not decode to
/// <c>user:password</c>, so <c>auth</c> carries the placeholder user <c>&lt;token&gt;</c> (docker's
/// credential-helper convention for identity tokens) and an empty password: no secret in it.
/// </summary>
internal static class DockerConfigJson
{
    public const string SecretType = "kubernetes.io/dockerconfigjson";
    public const string DataKey = ".dockerconfigjson";

    /// <summary>The user name docker's credential helpers store for an identity token.</summary>
    public const string IdentityTokenUser = "<token>";

    public static byte[] Create(string registryKey, string identityToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("auths");
            writer.WriteStartObject(registryKey);
            writer.WriteString("auth", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(IdentityTokenUser + ":")));
            writer.WriteString("identitytoken", identityToken);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
