namespace Berth.CredentialProvider.Protocol;

internal static class ProtocolNames
{
    /// <summary>The only version this plugin speaks; the response must echo the request's.</summary>
    public const string ApiVersion = "credentialprovider.kubelet.k8s.io/v1";

    public const string RequestKind = "CredentialProviderRequest";

    public const string ResponseKind = "CredentialProviderResponse";
}
