using Berth.Access.Audit;
using Berth.Audit;
using Berth.Auth.Admin;
using Berth.Configuration;

namespace Berth.Http.Admin;

/// <summary>
/// Authenticates every admin call and audits it (kind <c>admin</c>, subject = admin token name, reason =
/// method, path and status) once the response is complete, refused calls included. An authenticated
/// admin's reads are not audited unless <see cref="ServerSettings.AuditAdminReads"/> says so: they change
/// nothing, and the console reads on every page view.
/// </summary>
internal sealed class AdminAuthFilter(AdminAuthenticator authenticator, AuditTrail audit, TimeProvider time, BerthSettings settings) : IEndpointFilter
{
    private const string AdminKey = "berth.admin";

    /// <summary>The administrator of the current request (set before any handler runs).</summary>
    public static AdminIdentity AdminOf(HttpContext context) => (AdminIdentity)context.Items[AdminKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (admin, failure) = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
        if (admin is null || settings.Server.AuditAdminReads || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
        {
            http.Response.OnCompleted(() => RecordAsync(http, admin).AsTask());
        }

        if (admin is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"berth-admin\"";
            return TypedResults.Json(new AdminErrors([failure!]), JsonDefaults.Options, statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[AdminKey] = admin;
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
