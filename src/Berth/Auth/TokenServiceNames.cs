using Berth.Configuration;

namespace Berth.Auth;

/// <summary>The names clients see in the Bearer challenge: realm, service, and the registry token issuer.</summary>
internal static class TokenServiceNames
{
    public const string TokenPath = "/service/token";

    /// <summary><c>server.service</c>, else the public URL's host[:port], else <c>berth</c>.</summary>
    public static string Service(ServerSettings server) =>
        server.Service ?? (server.PublicUrl is { } url ? new Uri(url).Authority : "berth");

    /// <summary>Registry tokens' <c>iss</c>: the public URL, never the issuer of any workload token.</summary>
    public static string Issuer(ServerSettings server) => server.PublicUrl?.TrimEnd('/') ?? "berth";

    /// <summary>The token endpoint, from the public URL or else from the request itself.</summary>
    public static string Realm(ServerSettings server, HttpRequest request) =>
        server.PublicUrl is { } url ? url.TrimEnd('/') + TokenPath : $"{request.Scheme}://{request.Host}{TokenPath}";
}
