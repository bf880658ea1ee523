using Microsoft.Net.Http.Headers;

namespace Berth.Http.Console;

/// <summary>
/// The web console at <c>/console/</c>: static ES modules and CSS that call the admin API with a
/// short-lived admin token. The files need no credentials; every datum they show comes from
/// <c>/api/v1</c>, which does.
/// </summary>
internal static class ConsoleApi
{
    public const string Prefix = "/console";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var assets = ConsoleAssets.Load();
        app.MapGet(Prefix + "/{**path}", (string? path, HttpContext context) => Serve(assets, path, context)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(ConsoleAssets assets, string? path, HttpContext context)
    {
        ConsoleHeaders.Apply(context.Response);
        // The catch-all also matches /console (routing ignores a trailing slash); relative module paths need the slash.
        if (string.IsNullOrEmpty(path) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect(Prefix + "/");
        }

        // Pages are hash routes (#/robots/…), so index.html is the only document.
        if (assets.Find(string.IsNullOrEmpty(path) ? "index.html" : path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
