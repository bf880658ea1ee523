using Berth.Access.Audit;
using Berth.Audit;

namespace Berth.Http.Registry;

/// <summary>Records pushes, manifest pulls and deletes once they are answered: who, what, which digest, from where.</summary>
internal static class RegistryAudit
{
    /// <param name="kind">push, pull or delete.</param>
    public static ValueTask RecordAsync(HttpContext context, string kind, string repository, string reference)
    {
        var response = context.Response;
        var caller = TokenAccessCheck.CallerOf(context);
        string? digest = response.Headers["Docker-Content-Digest"];
        var services = context.RequestServices;
        var entry = new AuditEntry(
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            kind,
            response.StatusCode < 400 ? "accepted" : "refused",
            Subject: caller?.Subject,
            Robots: caller is { Robots.Count: > 0 } known ? string.Join(',', known.Robots) : null,
            Repository: repository,
            Reference: reference,
            Digest: digest ?? (reference.Contains(':', StringComparison.Ordinal) ? reference : null),
            ClientIp: context.Connection.RemoteIpAddress?.ToString(),
            Reason: response.StatusCode < 400 ? null : $"HTTP {response.StatusCode}");
        return services.GetRequiredService<AuditTrail>().RecordAsync(entry, CancellationToken.None);
    }
}
