using Berth.Access.Audit;
using Berth.Access.Permissions;
using Berth.Access.Refresh;
using Berth.Access.Scopes;
using Berth.Audit;
using Berth.Auth.Documents;
using Berth.Federation;
using Berth.Federation.Robots;

namespace Berth.Auth;

/// <summary>
/// The Docker token service in five steps: parse → authenticate → match robots (inside
/// authentication) → intersect the requested scopes with the robots' permissions → issue.
/// Every exchange, accepted or refused, is audited and logged once, with its final outcome, issuer, subject
/// and <c>jti</c>, never the token; every requested scope not granted is audited as refused too.
/// </summary>
internal sealed class TokenService(Authenticator authenticator, RegistryTokens tokens, FederationState state, IRefreshTokenStore refreshTokens, TokenRateLimits limits, AuditTrail audit, TimeProvider time, ILogger<TokenService> logger)
{
    public async Task<TokenResult> IssueAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (limits.CheckClientIp(request.ClientIp) is { } ipWait)
        {
            await RecordAsync(request, "refused", null, null, null, null, TokenResult.RateLimited + " (client IP)", cancellationToken);
            return TokenResult.Limited(ipWait);
        }

        var scopes = ScopeParser.Parse(request.Scopes);
        if (scopes.HasInvalid)
        {
            FederationMetrics.RecordTokenExchange("refused", "invalid_scope", FederationMetrics.NoIdentityProvider);
            return TokenResult.Refused("invalid_scope", $"malformed scope '{scopes.Invalid[0]}': expected type:name:actions, e.g. repository:library/app:pull,push");
        }

        var auth = request.RefreshToken is { } refresh
            ? await authenticator.AuthenticateRefreshTokenAsync(refresh, cancellationToken)
            : request.Password is { } password
                ? await authenticator.AuthenticatePasswordAsync(request.Username, password, cancellationToken)
                : AuthResult.Success(authenticator.Anonymous);
        if (auth.Identity is not { } identity)
        {
            await RecordAsync(request, "refused", auth.ClaimedIssuer, auth.ClaimedSubject, auth.ClaimedTokenId, null, auth.AuditReason, cancellationToken, auth.ClaimsUnverified);
            return TokenResult.Refused(auth.Reason!, auth.CallerMessage!);
        }

        if (!identity.IsAnonymous && limits.CheckSubject(identity.Issuer ?? string.Empty, identity.Subject) is { } subjectWait)
        {
            await RecordAsync(request, "refused", identity.Issuer, identity.Subject, identity.TokenId, identity.Robots, TokenResult.RateLimited + " (workload)", cancellationToken);
            return TokenResult.Limited(subjectWait);
        }

        // Decided afresh at every exchange from the current robots and projects, even when the registry token
        // itself is then reused (RecentRegistryTokens). Loops, not LINQ: this is the hot path of the exchange.
        var model = state.Current.Model;
        var decision = AccessGranter.Grant(scopes.Scopes, identity.Permissions, authenticator.PublicPermissions);
        var granted = new List<ResourceScope>(decision.Granted.Count);
        List<ResourceScope>? undeclared = null;
        foreach (var scope in decision.Granted)
        {
            if (scope.Type != ResourceScope.RepositoryType || model.HasProjectFor(scope.Name))
            {
                granted.Add(scope);
            }
            else
            {
                (undeclared ??= []).Add(scope);
            }
        }

        var denied = new List<(ResourceScope Scope, string Why)>(decision.Refused.Count + (undeclared?.Count ?? 0));
        foreach (var scope in decision.Refused)
        {
            denied.Add((scope, WhyNot(scope, identity, model)));
        }

        foreach (var scope in undeclared ?? [])
        {
            denied.Add((scope, WhyNot(scope, identity, model)));
        }

        var notAfter = identity.NotAfter;
        if (!tokens.Issuer.TryIssue(identity.Subject, identity.Robots, granted, notAfter, out var issued))
        {
            await RecordAsync(request, "refused", identity.Issuer, identity.Subject, identity.TokenId, identity.Robots, AuthResult.TokenExpired, cancellationToken);
            return TokenResult.Refused(AuthResult.TokenExpired, "the credential expires within a second: fetch a fresh workload token");
        }

        var refreshToken = request.Offline ? await IssueRefreshTokenAsync(request, identity, cancellationToken) : null;
        await RecordAsync(request, "accepted", identity.Issuer, identity.Subject, identity.TokenId, identity.Robots, Describe(granted, denied), cancellationToken);
        if (denied.Count > 0)
        {
            var exchange = Entry(request, "accepted", identity.Issuer, identity.Subject, identity.TokenId, identity.Robots, null);
            foreach (var entry in DeniedScopes.Entries(denied, exchange))
            {
                await audit.RecordAsync(entry, cancellationToken);
            }
        }

        return new TokenResult(issued, granted, refreshToken?.Token, null, null) { RefreshExpiresAt = refreshToken?.ExpiresAt, Robots = identity.Robots };
    }

    private async Task<(string Token, DateTimeOffset ExpiresAt)?> IssueRefreshTokenAsync(TokenRequest request, CallerIdentity identity, CancellationToken cancellationToken)
    {
        switch (identity.Kind)
        {
            case CallerIdentity.Refreshed when request.RefreshToken is not null && identity.NotAfter is { } expiresAt:
                // The OAuth2 refresh grant hands the same refresh token back; its expiry does not move.
                return (request.RefreshToken, expiresAt);
            case CallerIdentity.Refreshed or CallerIdentity.AnonymousKind:
                // Never mint a new refresh token from a refresh token: that would extend it without a new login.
                return null;
        }

        var known = state.Current.Model.Robots;
        var robots = identity.Robots.Select(name => known.FirstOrDefault(r => r.Name == name)).OfType<RobotDefinition>().ToList();
        if (robots.Count == 0)
        {
            return null;
        }

        var lifetime = robots.Min(r => r.RefreshTokenLifetime);
        if (lifetime > RobotDefinition.MaxRefreshTokenLifetime)
        {
            lifetime = RobotDefinition.MaxRefreshTokenLifetime;
        }

        var now = time.GetUtcNow();
        var token = RefreshTokens.Generate();
        var record = new RefreshTokenRecord(
            RefreshTokens.Hash(token),
            identity.Robots,
            identity.Issuer ?? string.Empty,
            identity.Subject,
            // Computed here, not at every login: only a refresh token needs to know when its robots change.
            RobotsFingerprint.Compute(robots, state.Current.Model.IdentityProviders),
            now,
            now + lifetime,
            PermissionDocument.ToJson(identity.Permissions));
        await refreshTokens.StoreRefreshTokenAsync(record, cancellationToken);
        return (token, record.ExpiresAt);
    }

    private ValueTask RecordAsync(TokenRequest request, string outcome, string? issuer, string? subject, string? tokenId, IReadOnlyList<string>? robots, string? reason, CancellationToken cancellationToken, bool unverified = false)
    {
        var entry = Entry(request, outcome, issuer, subject, tokenId, robots, reason);
        if (unverified)
        {
            entry = entry with { Unverified = true };
        }

        // The arguments (control characters replaced, boxed) are built only when the line is written.
        if ((outcome != "accepted" || !string.IsNullOrEmpty(subject)) && logger.IsEnabled(LogLevel.Information))
        {
            // The one log line per exchange, written once its outcome is final (after robot matching and
            // scopes); anonymous pulls are not worth a line each.
            logger.LogInformation(
                "Token exchange {Outcome}: {Reason} iss={Issuer} sub={Subject} jti={Jti} robots={Robots}",
                outcome, Printable(reason), Printable(issuer), Printable(subject), Printable(tokenId), entry.Robots);
        }

        FederationMetrics.RecordTokenExchange(outcome, outcome == "accepted" ? null : reason, IdentityProviderLabel(issuer));
        return audit.RecordAsync(entry, cancellationToken);
    }

    /// <summary>The configured provider's name: a claimed issuer is attacker-chosen, so it never becomes a label itself.</summary>
    private string IdentityProviderLabel(string? issuer)
    {
        if (issuer is null)
        {
            return FederationMetrics.NoIdentityProvider;
        }

        foreach (var provider in state.Current.Model.IdentityProviders)
        {
            if (provider.Issuer == issuer)
            {
                return provider.Name;
            }
        }

        return FederationMetrics.UnknownIdentityProvider;
    }

    private AuditEntry Entry(TokenRequest request, string outcome, string? issuer, string? subject, string? tokenId, IReadOnlyList<string>? robots, string? reason) =>
        new(time.GetUtcNow(), "token", outcome, issuer, subject, tokenId, JoinRobots(robots), ClientIp: request.ClientIp, Reason: reason);

    private static string? JoinRobots(IReadOnlyList<string>? robots) => robots switch
    {
        null => null,
        [var one] => one,
        _ => string.Join(',', robots),
    };

    private static string WhyNot(ResourceScope scope, CallerIdentity identity, FederationModel model) =>
        scope.Type == ResourceScope.RepositoryType && !model.HasProjectFor(scope.Name) ? $"(project '{FederationModel.ProjectOf(scope.Name)}' is not declared)"
        : identity.Robots.Count == 0 ? "(anonymous: only public projects can be pulled)"
        : $"(not in the permissions of {string.Join(", ", identity.Robots)})";

    private static string Describe(IReadOnlyList<ResourceScope> granted, IReadOnlyList<(ResourceScope Scope, string Why)> denied)
    {
        var text = granted switch
        {
            [] => "granted: (login only)",
            [var one] => "granted: " + one,
            _ => "granted: " + string.Join(' ', granted),
        };
        if (denied.Count > 0)
        {
            text += "; denied: " + string.Join(' ', denied.Select(d => d.Scope));
        }

        return text.Length <= 1000 ? text : text[..1000];
    }

    // Claimed values of a refused token come from an unverified payload: no control characters in the log.
    private static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(300).Select(c => char.IsControl(c) ? '?' : c)]);
}
