using Microsoft.AspNetCore.Http.Features;

namespace Berth.Http.Registry;

/// <summary>
/// Every route of the OCI Distribution API, in one table. Repository names contain slashes, so
/// one catch-all route parses the path and dispatches on resource and method.
/// </summary>
internal static class RegistryApi
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";

    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        // The handlers are singletons: resolved once here, not from the request's services on every call.
        var services = app.ServiceProvider;
        var handlers = new Handlers(
            services.GetRequiredService<IRegistryAccessCheck>(),
            services.GetRequiredService<BlobHandlers>(),
            services.GetRequiredService<UploadHandlers>(),
            services.GetRequiredService<ManifestHandlers>(),
            services.GetRequiredService<ListingHandlers>());

        // One catch-all: it also matches /v2 and /v2/ (the version check), which routing cannot tell apart.
        app.Map("/v2/{**path}", (HttpContext context, string? path) => DispatchAsync(context, path, handlers));
        return app;
    }

    private static async Task PingAsync(HttpContext context, IRegistryAccessCheck access)
    {
        if (await access.AuthorizeAsync(context, [], context.RequestAborted))
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 2;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await context.Response.WriteAsync("{}", context.RequestAborted);
            }
        }
    }

    private static Task DispatchAsync(HttpContext context, string? path, Handlers handlers)
    {
        context.Response.Headers[ApiVersionHeader] = "registry/2.0";
        var method = context.Request.Method;
        if (string.IsNullOrEmpty(path))
        {
            RequestRoute.Set(context, "/v2/");
            return method is "GET" or "HEAD"
                ? PingAsync(context, handlers.Access)
                : OciError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, OciError.Unsupported, $"{method} is not supported on /v2/");
        }

        var target = RegistryPath.Parse(path);
        var template = RouteTemplate(target.Route);
        if (template is not null)
        {
            RequestRoute.Set(context, template);
        }

        // One catch-all route serves all of /v2, so http.route alone says nothing: the request metrics
        // also carry the OCI route template (bounded: never the repository name).
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("berth.registry.route", template ?? "unknown"));
        if (StreamsBody(target.Route, method))
        {
            RequestBodyLimits.Lift(context);
        }

        if (target.Route == RegistryRoute.Unknown)
        {
            return OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.Unsupported, $"no registry endpoint at /v2/{path}");
        }

        if (target.Route != RegistryRoute.Catalog && !Berth.Registry.Content.Names.IsValidRepository(target.Name))
        {
            return OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.NameInvalid, $"invalid repository name '{target.Name}': use lowercase letters, digits and separators (. _ __ -) in /-separated components");
        }

        var (_, blobs, uploads, manifests, listings) = handlers;
        return (target.Route, method) switch
        {
            (RegistryRoute.Manifest, "GET") => AuditedAsync(manifests.GetAsync(context, target.Name, target.Reference), context, "pull", target),
            (RegistryRoute.Manifest, "HEAD") => manifests.GetAsync(context, target.Name, target.Reference),
            (RegistryRoute.Manifest, "PUT") => AuditedAsync(manifests.PutAsync(context, target.Name, target.Reference), context, "push", target),
            (RegistryRoute.Manifest, "DELETE") => AuditedAsync(manifests.DeleteAsync(context, target.Name, target.Reference), context, "delete", target),
            (RegistryRoute.Blob, "GET" or "HEAD") => blobs.GetAsync(context, target.Name, target.Reference),
            (RegistryRoute.Blob, "DELETE") => AuditedAsync(blobs.DeleteAsync(context, target.Name, target.Reference), context, "delete", target),
            (RegistryRoute.Uploads, "POST") => uploads.StartAsync(context, target.Name),
            (RegistryRoute.Upload, "PATCH") => uploads.PatchAsync(context, target.Name, target.Reference),
            (RegistryRoute.Upload, "PUT") => uploads.PutAsync(context, target.Name, target.Reference),
            (RegistryRoute.Upload, "GET") => uploads.StatusAsync(context, target.Name, target.Reference),
            (RegistryRoute.Upload, "DELETE") => uploads.CancelAsync(context, target.Name, target.Reference),
            (RegistryRoute.Tags, "GET") => listings.TagsAsync(context, target.Name),
            (RegistryRoute.Catalog, "GET") => listings.CatalogAsync(context),
            (RegistryRoute.Referrers, "GET") => listings.ReferrersAsync(context, target.Name, target.Reference),
            _ => OciError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, OciError.Unsupported, $"{method} is not supported on /v2/{path}"),
        };
    }

    /// <summary>The request log's route: the OCI spec's endpoint, not the catch-all.</summary>
    private static string? RouteTemplate(RegistryRoute route) => route switch
    {
        RegistryRoute.Catalog => "/v2/_catalog",
        RegistryRoute.Tags => "/v2/{name}/tags/list",
        RegistryRoute.Blob => "/v2/{name}/blobs/{digest}",
        RegistryRoute.Uploads => "/v2/{name}/blobs/uploads/",
        RegistryRoute.Upload => "/v2/{name}/blobs/uploads/{reference}",
        RegistryRoute.Manifest => "/v2/{name}/manifests/{reference}",
        RegistryRoute.Referrers => "/v2/{name}/referrers/{digest}",
        _ => null,
    };

    /// <summary>Pushes, manifest pulls and deletes go to the audit trail once answered, refused ones included.</summary>
    private static async Task AuditedAsync(Task handled, HttpContext context, string kind, RegistryPath target)
    {
        await handled;
        await RegistryAudit.RecordAsync(context, kind, target.Name, target.Reference);
    }

    /// <summary>Blob bytes stream without a limit; a manifest PUT enforces registry.maxManifestBytes itself.</summary>
    private static bool StreamsBody(RegistryRoute route, string method) =>
        (route, method) is (RegistryRoute.Uploads, "POST") or (RegistryRoute.Upload, "PATCH" or "PUT") or (RegistryRoute.Manifest, "PUT");

    private sealed record Handlers(IRegistryAccessCheck Access, BlobHandlers Blobs, UploadHandlers Uploads, ManifestHandlers Manifests, ListingHandlers Listings);
}
