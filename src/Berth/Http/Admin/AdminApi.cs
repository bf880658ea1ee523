namespace Berth.Http.Admin;

/// <summary>
/// The admin REST API under <c>/api/v1</c>: every route is marked <see cref="AdminOnly"/>, needs admin
/// credentials (checked by <see cref="AdminAuthFilter"/> before the body is read) and is audited, except key sync (<see cref="KeySyncApi"/>), which a
/// workload proves with its own token. The OpenAPI document is at <c>/api/v1/openapi.json</c>.
/// </summary>
internal static class AdminApi
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = Prefix + "/openapi.json";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(OpenApiPath);
        app.MapKeySyncApi();
        app.MapPublicRepositoriesApi();
        var api = app.MapGroup(Prefix).WithMetadata(AdminOnly.Instance);
        api.MapTokensApi();
        api.MapRefreshTokensApi();
        api.MapIdentityProvidersApi();
        api.MapProjectsApi();
        api.MapRobotsApi();
        api.MapRepositoriesApi();
        api.MapManifestsApi();
        api.MapGarbageCollectionApi();
        api.MapAuditApi();
        api.MapExplainApi();
        return app;
    }
}
