namespace Berth.Http.Admin;

/// <summary>
/// The admin REST API under <c>/api/v1</c>: every route needs admin credentials (see
/// <see cref="AdminAuthFilter"/>) and is audited, except key sync (<see cref="KeySyncApi"/>), which a
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
        var api = app.MapGroup(Prefix).AddEndpointFilter<AdminAuthFilter>();
        api.MapTokensApi();
        api.MapRefreshTokensApi();
        api.MapIdentityProvidersApi();
        api.MapProjectsApi();
        api.MapRobotsApi();
        api.MapRepositoriesApi();
        api.MapGarbageCollectionApi();
        api.MapAuditApi();
        api.MapExplainApi();
        return app;
    }
}
