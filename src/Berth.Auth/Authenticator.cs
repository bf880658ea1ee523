using Berth.Access.Permissions;
using Berth.Access.Refresh;
using Berth.Auth.Documents;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Auth;

/// <summary>
/// Turns credentials into an identity: a workload JWT (validated, then matched to robots), a classic
/// robot's secret, or a refresh token. Fails closed; the reason code reaches the client, rule details never do.
/// </summary>
/// <remarks>Each call reads the current <see cref="FederationSnapshot"/>: robots disabled or removed through the admin API stop working on the next request.</remarks>
internal sealed class Authenticator(FederationState state, IRefreshTokenStore refreshTokens, TimeProvider time)
{
    /// <summary>What anyone may do, even without credentials: pull from public projects.</summary>
    public IReadOnlyList<Permission> PublicPermissions => state.Current.PublicPermissions;

    public CallerIdentity Anonymous { get; } = new(CallerIdentity.AnonymousKind, string.Empty, null, null, [], [], null);

    /// <param name="username">The login username: pins a robot when it names one, otherwise free (docker needs one).</param>
    /// <param name="password">A workload JWT or a classic robot's secret.</param>
    public async Task<AuthResult> AuthenticatePasswordAsync(string? username, string password, CancellationToken cancellationToken)
    {
        var snapshot = state.Current;
        var matcher = snapshot.Matcher;
        var classic = username is null ? null : matcher.Find(username);
        if (classic is { IsFederated: false })
        {
            return AuthenticateClassic(classic, password);
        }

        if (!LooksLikeJwt(password))
        {
            return AuthResult.Failure(AuthResult.InvalidCredentials, "the password is neither a workload token (JWT) nor the secret of the robot named as username");
        }

        // The same decision explain reports (validate, then match), so the two cannot disagree.
        var login = await WorkloadLogin.DecideAsync(snapshot.Validator, matcher, password, username, cancellationToken);
        if (!login.Accepted)
        {
            return AuthResult.Failure(login.Reason!, login.Message!, login.Issuer, login.Subject, login.TokenId) with { ClaimsUnverified = !login.Validation.IsValid };
        }

        var token = login.Validation.Token!;
        var match = login.Match;
        var robots = match.MatchedRobots;
        return AuthResult.Success(new CallerIdentity(
            CallerIdentity.Federated,
            token.Subject,
            token.Issuer,
            token.Jti,
            robots.Select(r => r.Name).ToList(),
            match.Permissions,
            token.ExpiresAt));
    }

    public async Task<AuthResult> AuthenticateRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = RefreshTokens.Hash(refreshToken);
        var record = await refreshTokens.FindRefreshTokenAsync(hash, cancellationToken);
        if (record is null || record.ExpiresAt <= time.GetUtcNow())
        {
            return AuthResult.Failure(AuthResult.RefreshTokenInvalid, "the refresh token is unknown, expired or revoked: log in again with a fresh workload token");
        }

        var model = state.Current.Model;
        if (RobotsFingerprint.Current(record.Robots, model.Robots, model.IdentityProviders) != record.RobotsFingerprint)
        {
            // The robot was disabled, removed, its rules or its provider's keys changed since login: the grant no longer holds.
            await refreshTokens.DeleteRefreshTokenAsync(hash, cancellationToken);
            return AuthResult.Failure(AuthResult.RefreshTokenRevoked, "the refresh token was revoked because its robot was disabled or changed: log in again", record.Issuer, record.Subject);
        }

        var permissions = PermissionDocument.FromJson(record.PermissionsJson);
        return AuthResult.Success(new CallerIdentity(
            CallerIdentity.Refreshed,
            record.Subject,
            record.Issuer,
            null,
            record.Robots,
            permissions,
            record.ExpiresAt));
    }

    /// <summary>Is every robot named still enabled? Registry tokens already issued die with their robot.</summary>
    public bool RobotsStillEnabled(IReadOnlyList<string> robots) => robots.All(name => state.Current.Matcher.Find(name) is { Enabled: true });

    private AuthResult AuthenticateClassic(RobotDefinition robot, string secret)
    {
        if (robot.SecretHash is null || !SecretHasher.Verify(secret, robot.SecretHash))
        {
            return AuthResult.Failure(AuthResult.InvalidCredentials, "wrong secret for this robot", subject: robot.Name);
        }

        if (!robot.Enabled)
        {
            return AuthResult.Failure(AuthResult.RobotDisabled, "this robot is disabled", subject: robot.Name);
        }

        return AuthResult.Success(new CallerIdentity(CallerIdentity.Classic, robot.Name, null, null, [robot.Name], robot.Permissions, null));
    }

    // Robot secrets never contain dots; anything else JWT-shaped goes to the validator for a precise reason code.
    private static bool LooksLikeJwt(string value) => value.StartsWith("eyJ", StringComparison.Ordinal) || value.Contains('.', StringComparison.Ordinal);
}
