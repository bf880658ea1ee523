using System.Text;
using Berth.Access.Permissions;
using Berth.Auth;
using Berth.Configuration;
using Berth.Http.Token;

namespace Berth.Http.Registry;

/// <summary>
/// The access check of every /v2 request, in HTTP terms: who the caller is comes from
/// <see cref="RegistryCallers"/> (Berth.Auth), whether it may proceed from <see cref="RegistryAccessDecision"/>
/// (Berth.Access); this class remembers the caller for the request and answers a refusal with the Bearer
/// challenge that sends clients to the token service, or 404 for a repository outside every project.
/// While no identity provider and no robot exist (open mode), everything is allowed on loopback names.
/// </summary>
internal sealed class TokenAccessCheck(RegistryCallers callers, FederationState state, BerthSettings settings) : IRegistryAccessCheck
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
        var (refusal, requirement) = RegistryAccessDecision.Decide(caller, required, model.HasProjectFor);
        switch (refusal)
        {
            case RegistryRefusal.None:
                return true;
            case RegistryRefusal.InvalidCredentials:
                await ChallengeAsync(context, required, "invalid_token", OciError.Unauthorized, caller.Failure!);
                return false;
            case RegistryRefusal.AuthenticationRequired:
                await ChallengeAsync(context, required, null, OciError.Unauthorized, "authentication required");
                return false;
            case RegistryRefusal.UnknownProject:
                await OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.NameUnknown, $"project '{FederationModel.ProjectOf(requirement!.Name)}' does not exist: repositories live under a declared project");
                return false;
            default:
                await ChallengeAsync(context, required, "insufficient_scope", OciError.Denied, "requested access to the resource is denied");
                return false;
        }
    }

    public async Task<bool> IsGrantedAsync(HttpContext context, AccessRequirement requirement, CancellationToken cancellationToken)
    {
        if (state.Current.IsOpen)
        {
            return OpenToThisHost(context);
        }

        var caller = await ResolveAsync(context, cancellationToken);
        return caller.Allows(requirement);
    }

    /// <summary>Open mode serves loopback names only (DNS rebinding), unless the operator insisted on it elsewhere.</summary>
    private bool OpenToThisHost(HttpContext context) => settings.Server.InsecureOpen || LoopbackHost.Is(context.Request.Host);

    /// <summary>The subject and robots of the request, for the audit log; null before authorization.</summary>
    public static (string Subject, IReadOnlyList<string> Robots)? CallerOf(HttpContext context) =>
        context.Items.TryGetValue(CallerKey, out var value) && value is RegistryCaller caller ? (caller.Subject, caller.Robots) : null;

    private async Task<RegistryCaller> ResolveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Items.TryGetValue(CallerKey, out var cached) && cached is RegistryCaller known)
        {
            return known;
        }

        var caller = await callers.ResolveAsync(context.Request.Headers.Authorization, cancellationToken);
        context.Items[CallerKey] = caller;
        RequestActor.SetRobots(context, caller.Robots);
        return caller;
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
}
