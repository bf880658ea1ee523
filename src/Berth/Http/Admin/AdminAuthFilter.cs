using System.Globalization;
using Berth.Access.Audit;
using Berth.Audit;
using Berth.Auth;
using Berth.Auth.Admin;
using Berth.Configuration;

namespace Berth.Http.Admin;

/// <summary>
/// Authenticates every admin call and audits it (kind <c>admin</c>, subject = admin token name, reason =
/// method, path and status) once the response is complete, refused calls included. An authenticated
/// admin's reads are not audited unless <see cref="ServerSettings.AuditAdminReads"/> says so: they change
/// nothing, and the console reads on every page view. It runs as middleware
/// after routing, on endpoints marked <see cref="AdminOnly"/>: an anonymous caller is refused before the
/// endpoint binds its JSON body, so not a byte of it is read.
/// </summary>
/// <remarks>
/// Password logins (<c>Basic admin:…</c>) cost a PBKDF2 each: they wait for a <see cref="PasswordCheckGate"/>
/// slot and answer 429 with <c>Retry-After</c> while <see cref="AdminLoginThrottle"/> holds the client IP or
/// the username back. Admin tokens are SHA-256 lookups of 256 random bits and need neither.
/// </remarks>
internal sealed class AdminAuthFilter(AdminAuthenticator authenticator, AdminLoginThrottle throttle, PasswordCheckGate gate, AuditTrail audit, TimeProvider time, BerthSettings settings) : IMiddleware
{
    private const string AdminKey = "berth.admin";
    private const string TooManyFailures = "too many failed administrator logins: wait and retry";

    /// <summary>The administrator of the current request (set before any handler runs).</summary>
    public static AdminIdentity AdminOf(HttpContext context) => (AdminIdentity)context.Items[AdminKey]!;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AdminOnly>() is null)
        {
            await next(context);
            return;
        }

        string? authorization = context.Request.Headers.Authorization;
        var clientIp = context.Connection.RemoteIpAddress?.ToString();
        string? note = null;
        AdminIdentity? admin = null;
        context.Response.OnCompleted(() => admin is null || settings.Server.AuditAdminReads || !IsRead(context)
            ? RecordAsync(context, admin, note).AsTask()
            : Task.CompletedTask);

        if (!BasicCredentials.TryParse(authorization, out var username, out _))
        {
            (admin, var failure) = await authenticator.AuthenticateAsync(authorization, context.RequestAborted);
            if (admin is null)
            {
                await RefuseAsync(context, failure!);
                return;
            }
        }
        else
        {
            var (ran, result) = await gate.RunAsync(() => CheckPasswordAsync(authorization!, clientIp, username, context.RequestAborted), context.RequestAborted);
            if (!ran || result.Wait is not null)
            {
                note = ran ? "throttled" : "password checks busy";
                await TooManyAsync(context, result.Wait ?? TimeSpan.FromSeconds(1));
                return;
            }

            admin = result.Admin;
            if (admin is null)
            {
                await RefuseAsync(context, result.Failure!);
                return;
            }
        }

        context.Items[AdminKey] = admin;
        RequestActor.SetAdmin(context, admin.Name);
        await next(context);
    }

    /// <summary>Throttle, check, count: the throttle is asked again once a slot is free, so guesses queued behind the gate stop too.</summary>
    private async Task<(AdminIdentity? Admin, string? Failure, TimeSpan? Wait)> CheckPasswordAsync(string authorization, string? clientIp, string? username, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(clientIp, username) is { } wait)
        {
            return (null, null, wait);
        }

        var (admin, failure) = await authenticator.AuthenticateAsync(authorization, cancellationToken);
        if (admin is null)
        {
            throttle.Failed(clientIp, username);
        }
        else
        {
            throttle.Succeeded(clientIp, username);
        }

        return (admin, failure, null);
    }

    private static bool IsRead(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<ChangesNothing>() is not null;

    private static Task RefuseAsync(HttpContext context, string failure)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"berth-admin\"";
        return context.Response.WriteAsJsonAsync(new AdminErrors([failure]), JsonDefaults.Options, context.RequestAborted);
    }

    private static Task TooManyAsync(HttpContext context, TimeSpan wait)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(new AdminErrors([TooManyFailures]), JsonDefaults.Options, context.RequestAborted);
    }

    private ValueTask RecordAsync(HttpContext http, AdminIdentity? admin, string? note)
    {
        var status = http.Response.StatusCode;
        var entry = new AuditEntry(
            time.GetUtcNow(),
            "admin",
            status < 400 ? "accepted" : "refused",
            Subject: admin?.Name,
            ClientIp: http.Connection.RemoteIpAddress?.ToString(),
            Reason: $"{http.Request.Method} {http.Request.Path} {status}" + (note is null ? string.Empty : $" ({note})"));
        return audit.RecordAsync(entry, CancellationToken.None);
    }
}
