namespace Berth.Http;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (Readiness readiness) =>
            readiness.IsReady ? Results.Text("ok\n") : Results.Text("starting\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
