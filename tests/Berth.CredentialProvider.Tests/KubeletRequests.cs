using System.Text;

namespace Berth.CredentialProvider.Tests;

/// <summary>
/// Requests byte for byte as the kubelet encodes them (apimachinery's JSON serializer: TypeMeta
/// inline with kind before apiVersion, omitempty token and annotations, a trailing newline).
/// </summary>
internal static class KubeletRequests
{
    public const string ApiVersion = "credentialprovider.kubelet.k8s.io/v1";

    public static string WithToken(string image, string token) =>
        $$"""{"kind":"CredentialProviderRequest","apiVersion":"{{ApiVersion}}","image":"{{image}}","serviceAccountToken":"{{token}}"}""" + "\n";

    public static string WithTokenAndAnnotations(string image, string token) =>
        $$$"""{"kind":"CredentialProviderRequest","apiVersion":"{{{ApiVersion}}}","image":"{{{image}}}","serviceAccountToken":"{{{token}}}","serviceAccountAnnotations":{"registry.example.com/identity":"team-a","registry.example.com/robot":"puller"}}""" + "\n";

    /// <summary>What the kubelet sends with tokenAttributes unset, or requireServiceAccount: false and no service account.</summary>
    public static string WithoutToken(string image) =>
        $$"""{"kind":"CredentialProviderRequest","apiVersion":"{{ApiVersion}}","image":"{{image}}"}""" + "\n";

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
