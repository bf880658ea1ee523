using Berth.Access.Audit;
using Berth.Audit;
using Berth.Auth.Admin;

namespace Berth.Http.Admin;

/// <summary>
/// Authenticates every admin call and audits it (kind <c>admin</c>, subject = admin token name, reason =
/// method, path and status) once the response is complete, refused calls included.
/// </summary>
internal sealed class AdminAuthFilter(AdminAuthenticator authenticator, AuditTrail audit, TimeProvider time) : IEndpointFilter
{
    private const string AdminKey = "berth.admin";

    /// <summary>The administrator of the current request (set before any handler runs).</summary>
    public static AdminIdentity AdminOf(HttpContext context) => (AdminIdentity)context.Items[AdminKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (admin, failure) = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
        http.Response.OnCompleted(() => RecordAsync(http, admin).AsTask());
        if (admin is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"berth-admin\"";
            return TypedResults.Json(new AdminErrors([failure!]), JsonDefaults.Options, statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[AdminKey] = admin;
        RequestActor.SetAdmin(http, admin.Name);
        return await next(context);
    }

    private ValueTask RecordAsync(HttpContext http, AdminIdentity? admin)
    {
        var status = http.Response.StatusCode;
        var entry = new AuditEntry(
            time.GetUtcNow(),
            "admin",
            status < 400 ? "accepted" : "refused",
            Subject: admin?.Name,
            ClientIp: http.Connection.RemoteIpAddress?.ToString(),
            Reason: $"{http.Request.Method} {http.Request.Path} {status}");
        return audit.RecordAsync(entry, CancellationToken.None);
    }
}
