using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Berth.Kube;

/// <summary>
/// The <c>--registry</c> of the kube helpers: they send a workload token (a credential, and for key sync
/// one that may replace an issuer's keys), so only <c>https://</c>, or plain <c>http://</c> to a loopback host.
/// </summary>
public static class RegistryUrl
{
    public const string Problem = "--registry must be an https URL such as https://registry.example.com (plain http only to a loopback address)";

    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? registry)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))))
        {
            registry = uri;
            return true;
        }

        registry = null;
        return false;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
