using Microsoft.AspNetCore.Http.Features;

namespace Berth.Http;

/// <summary>
/// The request body limits of the server. Kestrel applies <see cref="DefaultBytes"/> to every request;
/// only endpoints that stream blobs (or check a size of their own) lift it, before reading a byte.
/// </summary>
internal static class RequestBodyLimits
{
    /// <summary>Admin JSON, key sync and everything else that is not a blob: 1 MiB.</summary>
    public const long DefaultBytes = 1024 * 1024;

    public static void Lift(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }
}
