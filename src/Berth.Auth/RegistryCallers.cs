using Berth.Access.Permissions;

namespace Berth.Auth;

/// <summary>
/// Who a registry request's <c>Authorization</c> header says the caller is: a Berth registry token (Bearer),
/// Basic credentials (a workload JWT or robot secret as password), or nothing (public pulls only). A workload
/// JWT sent as Bearer is refused, as are tokens of disabled robots.
/// </summary>
internal sealed class RegistryCallers(RegistryTokens tokens, Authenticator authenticator)
{
    public async Task<RegistryCaller> ResolveAsync(string? authorization, CancellationToken cancellationToken)
    {
        var publicPermissions = authenticator.PublicPermissions;
        if (string.IsNullOrEmpty(authorization))
        {
            return RegistryCaller.Anonymous(publicPermissions);
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var verification = await tokens.Verifier.VerifyAsync(authorization[7..].Trim(), cancellationToken);
            if (!verification.IsValid)
            {
                return RegistryCaller.Failed($"{verification.FailureReason}: the registry token is not valid here; fetch a new one from the token service");
            }

            if (!authenticator.RobotsStillEnabled(verification.Robots))
            {
                return RegistryCaller.Failed("robot_disabled: a robot this token was issued for is disabled or gone");
            }

            return new RegistryCaller(verification.Subject, verification.Robots, new CallerAccess(verification.Access, publicPermissions), null);
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicCredentials.TryParse(authorization, out var username, out var password))
        {
            var auth = await authenticator.AuthenticatePasswordAsync(username, password, cancellationToken);
            return auth.Identity is { } identity
                ? new RegistryCaller(identity.Subject, identity.Robots, new CallerAccess(null, [.. identity.Permissions, .. publicPermissions]), null)
                : RegistryCaller.Failed(auth.Reason == AuthResult.NoRobotMatched ? auth.CallerMessage! : $"{auth.Reason}: {auth.CallerMessage}");
        }

        return RegistryCaller.Failed("unsupported Authorization header: use Bearer with a registry token or Basic credentials");
    }
}
