namespace Berth.Http.Console;

/// <summary>
/// Security headers on every console response. The console renders data that workloads control (claims,
/// subjects, audit reasons), so the policy allows only the console's own files: no inline script or
/// style, no framing, no other origin.
/// </summary>
internal static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Revalidate every time: an upgraded Berth must never run yesterday's console against today's API.
        headers.CacheControl = "no-cache";
    }
}
