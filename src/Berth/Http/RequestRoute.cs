namespace Berth.Http;

/// <summary>
/// The route template a request matched, for the request log: the endpoint's pattern, or a finer one an
/// endpoint names itself (the registry's one catch-all says <c>/v2/{name}/manifests/{reference}</c>).
/// Templates, never paths, so the set of values stays small.
/// </summary>
internal static class RequestRoute
{
    private const string Key = "berth.route";

    public static void Set(HttpContext context, string template) => context.Items[Key] = template;

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var named) && named is string template ? template
        : context.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText ?? "(unnamed)"
        : "(no route)";
}
