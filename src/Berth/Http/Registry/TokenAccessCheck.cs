using System.Text;
using Berth.Access.Permissions;
using Berth.Auth;
using Berth.Configuration;
using Berth.Http.Token;

namespace Berth.Http.Registry;

/// <summary>
/// The access check once identity providers or robots are configured. A request carries a Berth
/// registry token (Bearer), or Basic credentials (a workload JWT or robot secret as password), or
/// nothing (public pulls only). Refusals answer 401 with the Bearer challenge that sends clients to
/// the token service; a workload JWT sent as Bearer is refused, as are tokens of disabled robots.
/// While no identity provider and no robot exist (open mode), everything is allowed.
/// </summary>
internal sealed class TokenAccessCheck(RegistryTokens tokens, Authenticator authenticator, FederationState state, BerthSettings settings) : IRegistryAccessCheck
{
    private const string CallerKey = "berth.caller";

    public async Task<bool> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequirement> required, CancellationToken cancellationToken)
    {
        var model = state.Current.Model;
        if (model.IsOpen)
        {
            // Open mode until the first identity provider or robot exists, in the file or through the admin API.
            if (OpenToThisHost(context))
            {
                return true;
            }

            await OciError.WriteAsync(context, StatusCodes.Status403Forbidden, OciError.Denied, $"open mode answers only loopback host names (localhost, 127.0.0.1, [::1]), not '{context.Request.Host.Host}': configure authentication to serve other names");
            return false;
        }

        var caller = await ResolveAsync(context, cancellationToken);
        if (caller.Failure is { } failure)
        {
            await ChallengeAsync(context, required, "invalid_token", OciError.Unauthorized, failure);
            return false;
        }

        if (required.Count == 0)
        {
            // The version check: clients learn the realm from this 401 before they have a token.
            if (caller.IsAnonymous)
            {
                await ChallengeAsync(context, required, null, OciError.Unauthorized, "authentication required");
                return false;
            }

            return true;
        }

        foreach (var requirement in required)
        {
            if (requirement.Type == "repository" && !model.HasProjectFor(requirement.Name))
            {
                // Whether a project exists is the administrator's business: anonymous callers get the challenge,
                // as for a private project, and nobody is told which projects do exist.
                if (caller.HasNoIdentity)
                {
                    await ChallengeAsync(context, required, null, OciError.Unauthorized, "authentication required");
                    return false;
                }

                await OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.NameUnknown, $"project '{FederationModel.ProjectOf(requirement.Name)}' does not exist: repositories live under a declared project");
                return false;
            }

            if (!caller.Allows(requirement))
            {
                // An anonymous registry token (what docker fetches after logout) is no login either: the
                // client must hear "authentication required", not that its (absent) robot lacks a permission.
                var unknown = caller.HasNoIdentity;
                var message = unknown ? "authentication required" : "requested access to the resource is denied";
                await ChallengeAsync(context, required, unknown ? null : "insufficient_scope", unknown ? OciError.Unauthorized : OciError.Denied, message);
                return false;
            }
        }

        return true;
    }

    public async Task<bool> IsGrantedAsync(HttpContext context, AccessRequirement requirement, CancellationToken cancellationToken)
    {
        if (state.Current.IsOpen)
        {
            return OpenToThisHost(context);
        }

        var caller = await ResolveAsync(context, cancellationToken);
        return caller.Failure is null && caller.Allows(requirement);
    }

    /// <summary>Open mode serves loopback names only (DNS rebinding), unless the operator insisted on it elsewhere.</summary>
    private bool OpenToThisHost(HttpContext context) => settings.Server.InsecureOpen || LoopbackHost.Is(context.Request.Host);

    /// <summary>The subject and robots of the request, for the audit log; null before authorization.</summary>
    public static (string Subject, IReadOnlyList<string> Robots)? CallerOf(HttpContext context) =>
        context.Items.TryGetValue(CallerKey, out var value) && value is ResolvedCaller caller ? (caller.Subject, caller.Robots) : null;

    private async Task<ResolvedCaller> ResolveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Items.TryGetValue(CallerKey, out var cached) && cached is ResolvedCaller known)
        {
            return known;
        }

        var caller = await AuthenticateAsync(context.Request, cancellationToken);
        context.Items[CallerKey] = caller;
        RequestActor.SetRobots(context, caller.Robots);
        return caller;
    }

    private async Task<ResolvedCaller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var publicPermissions = authenticator.PublicPermissions;
        string? authorization = request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization))
        {
            return ResolvedCaller.Anonymous(publicPermissions);
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var verification = await tokens.Verifier.VerifyAsync(authorization[7..].Trim(), cancellationToken);
            if (!verification.IsValid)
            {
                return ResolvedCaller.Failed($"{verification.FailureReason}: the registry token is not valid here; fetch a new one from the token service");
            }

            if (!authenticator.RobotsStillEnabled(verification.Robots))
            {
                return ResolvedCaller.Failed("robot_disabled: a robot this token was issued for is disabled or gone");
            }

            return new ResolvedCaller(verification.Subject, verification.Robots, new CallerAccess(verification.Access, publicPermissions), null);
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicCredentials.TryParse(authorization, out var username, out var password))
        {
            var auth = await authenticator.AuthenticatePasswordAsync(username, password, cancellationToken);
            return auth.Identity is { } identity
                ? new ResolvedCaller(identity.Subject, identity.Robots, new CallerAccess(null, [.. identity.Permissions, .. publicPermissions]), null)
                : ResolvedCaller.Failed(auth.Reason == AuthResult.NoRobotMatched ? auth.CallerMessage! : $"{auth.Reason}: {auth.CallerMessage}");
        }

        return ResolvedCaller.Failed("unsupported Authorization header: use Bearer with a registry token or Basic credentials");
    }

    private Task ChallengeAsync(HttpContext context, IReadOnlyList<AccessRequirement> required, string? error, string code, string message)
    {
        var challenge = new StringBuilder("Bearer realm=\"")
            .Append(TokenRealm.Of(settings.Server, context.Request))
            .Append("\",service=\"")
            .Append(TokenServiceNames.Service(settings.Server))
            .Append('"');
        if (required.Count > 0)
        {
            var scopes = required.GroupBy(r => (r.Type, r.Name))
                .Select(g => $"{g.Key.Type}:{g.Key.Name}:{string.Join(',', g.Select(r => r.Action).Distinct())}");
            challenge.Append(",scope=\"").Append(string.Join(' ', scopes)).Append('"');
        }

        if (error is not null)
        {
            challenge.Append(",error=\"").Append(error).Append('"');
        }

        context.Response.Headers.WWWAuthenticate = challenge.ToString();
        var detail = required.Select(r => new { Type = r.Type, Name = r.Name, Action = r.Action }).ToList();
        return OciError.WriteAsync(context, StatusCodes.Status401Unauthorized, code, message, detail.Count > 0 ? detail : null);
    }

    /// <summary>The authenticated caller of one request: who, through which robots, and what it may do.</summary>
    private sealed record ResolvedCaller(string Subject, IReadOnlyList<string> Robots, CallerAccess Access, string? Failure)
    {
        public bool IsAnonymous => HasNoIdentity && Access.Granted is null;

        /// <summary>No subject and no robot: anonymous, with or without an anonymous registry token.</summary>
        public bool HasNoIdentity => Failure is null && Robots.Count == 0 && Subject.Length == 0;

        public static ResolvedCaller Anonymous(IReadOnlyList<Permission> publicPermissions) => new(string.Empty, [], new CallerAccess(null, publicPermissions), null);

        public static ResolvedCaller Failed(string failure) => new(string.Empty, [], new CallerAccess(null, []), failure);

        public bool Allows(AccessRequirement requirement) => Access.Allows(requirement);
    }
}
