using Berth.Configuration;

namespace Berth.Auth;

/// <summary>The names clients see in the Bearer challenge (service, token path) and the registry token issuer; the realm, read from the request, is the host's TokenRealm.</summary>
internal static class TokenServiceNames
{
    public const string TokenPath = "/service/token";

    /// <summary><c>server.service</c>, else the public URL's host[:port], else <c>berth</c>.</summary>
    public static string Service(ServerSettings server) =>
        server.Service ?? (server.PublicUrl is { } url ? new Uri(url).Authority : "berth");

    /// <summary>Registry tokens' <c>iss</c>: the public URL, never the issuer of any workload token.</summary>
    public static string Issuer(ServerSettings server) => server.PublicUrl?.TrimEnd('/') ?? "berth";
}
