using Berth.Auth;
using Berth.Configuration;

namespace Berth.Http.Token;

/// <summary>The <c>realm</c> of the Bearer challenge: the token endpoint clients are sent to.</summary>
internal static class TokenRealm
{
    /// <summary>The token endpoint, from the public URL or else from the request itself.</summary>
    public static string Of(ServerSettings server, HttpRequest request) =>
        server.PublicUrl is { } url ? url.TrimEnd('/') + TokenServiceNames.TokenPath : $"{request.Scheme}://{request.Host}{TokenServiceNames.TokenPath}";
}
