using System.Text.Json;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Federation.Explain;

/// <summary>
/// Explains a workload token with the token service's own decision (<see cref="WorkloadLogin"/>): a token
/// the registry refuses is reported refused, and only robots of the token's identity provider are
/// evaluated. The admin API and the offline CLI both use it. Admin-only: it shows rule details.
/// </summary>
public sealed class TokenExplainer(WorkloadTokenValidator validator, RobotMatcher matcher)
{
    private const string UnverifiedNote = "rules checked against the unverified claims; the token is refused, so this robot grants nothing";

    /// <param name="robot">Explain only this robot, as a login with this robot as username would be matched.</param>
    public async Task<TokenExplanation> ExplainTokenAsync(string jwt, string? robot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var login = await WorkloadLogin.DecideAsync(validator, matcher, jwt, robot, cancellationToken);
        if (login.Validation.IsValid)
        {
            var token = login.Validation.Token;
            var verdict = $"token valid: issuer {token.Issuer} ({token.IdentityProvider}), subject {token.Subject}, expires {token.ExpiresAt:u}";
            return login.Accepted
                ? new TokenExplanation(TokenExplanation.Matched, true, verdict, null, login.Match.Explanation)
                : new TokenExplanation(TokenExplanation.Refused, true, verdict + $"; {login.Message}", login.Reason, login.Match!.Explanation);
        }

        // The rules are still shown on the unverified claims (it helps to see whether fixing the token would
        // be enough), but only for the robots of the provider the token claims to come from, and none matched.
        var rejection = login.Validation.Rejection;
        var provider = ProviderOf(rejection.ClaimedIssuer);
        var robots = WorkloadTokenValidator.ReadUnverifiedClaims(jwt) is { } claims && provider is not null
            ? Unverified(Explainer.Explain(claims, matcher.Robots, provider, Pinned(robot)))
            : new Explanation([]);
        return new TokenExplanation(TokenExplanation.Refused, false, $"token REFUSED: {rejection.Reason}: {rejection.Message}", rejection.Reason, robots);
    }

    /// <summary>
    /// Explains a bare claims document (no signature or lifetime check): against the robots of the identity
    /// provider its <c>iss</c> names, or every robot when it has no <c>iss</c>.
    /// </summary>
    public TokenExplanation ExplainClaims(JsonElement claims, string? robot)
    {
        const string Verdict = "claims document (signature and expiry not checked)";
        string? provider = null;
        if (claims.TryGetProperty("iss", out var iss))
        {
            provider = iss.ValueKind == JsonValueKind.String ? ProviderOf(iss.GetString()) : null;
            if (provider is null)
            {
                return new TokenExplanation(TokenExplanation.Refused, false, $"{Verdict}: iss {iss} is not a configured identity provider", TokenRejectionReasons.UnknownIssuer, new Explanation([]));
            }
        }

        var explanation = Explainer.Explain(claims, matcher.Robots, provider, Pinned(robot));
        return explanation.AnyMatched
            ? new TokenExplanation(TokenExplanation.Matched, false, Verdict, null, explanation)
            : new TokenExplanation(TokenExplanation.Refused, false, Verdict, TokenRejectionReasons.NoRobotMatched, explanation);
    }

    private string? ProviderOf(string? issuer) =>
        issuer is null ? null : validator.IdentityProviders.FirstOrDefault(p => string.Equals(p.Issuer, issuer, StringComparison.Ordinal))?.Name;

    // The matcher pins a login to a robot only when the name is a robot's; anything else explains every robot.
    private string? Pinned(string? robot) => robot is not null && matcher.Find(robot) is not null ? robot : null;

    private static Explanation Unverified(Explanation explanation) =>
        new(explanation.Robots.Select(r => r.Considered ? r with { Matched = false, Permissions = [], DroppedPermissions = [], Note = r.Note ?? UnverifiedNote } : r).ToList());
}
