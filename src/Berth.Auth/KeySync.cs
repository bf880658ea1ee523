using Berth.Access.Audit;
using Berth.Audit;
using Berth.Configuration;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Auth;

/// <summary>
/// Key sync for private issuers: a workload of identity provider N sends N's new JWKS, authenticated by a
/// token of N that the keys trusted now accept and that matches a robot of N holding <c>jwks-sync</c>.
/// A cluster publishes a new verification key before it signs with it, so a sync that runs more often
/// than that overlap carries Berth across a rotation with no human. Every attempt is audited (kind
/// <c>key-sync</c>, with the kids added and removed); the token itself never is. Rate-limited like the
/// token endpoint, per client IP and per workload.
/// </summary>
/// <remarks>
/// The token must be minted for key sync alone (<c>tokens.keySyncAudience</c>, never a login audience),
/// live at most <see cref="TokenSettings.MaxKeySyncTokenLifetime"/> and carry a <c>jti</c> that is spent on
/// first use, so a token copied from a job's volume cannot be sent again.
/// </remarks>
internal sealed class KeySync(FederationState state, TokenRateLimits limits, AuditTrail audit, BerthSettings settings, TokenReplayCache spent, TimeProvider time)
{
    private const int MaxNameInAudit = 100;

    public async Task<KeySyncResult> SyncAsync(string identityProvider, string? token, string jwks, string? clientIp, CancellationToken cancellationToken)
    {
        if (limits.CheckClientIp(clientIp) is { } ipWait)
        {
            return await RecordAsync(KeySyncResult.Limited(ipWait), identityProvider, null, clientIp, cancellationToken);
        }

        // 1. The sender's token, checked with the keys trusted now, before anything about providers is said.
        var snapshot = state.Current;
        if (string.IsNullOrWhiteSpace(token))
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, "send a token of this identity provider as Authorization: Bearer <token>", "missing_token"), identityProvider, null, clientIp, cancellationToken);
        }

        var audience = settings.Tokens.KeySyncAudience;
        var validated = await snapshot.Validator.ValidateForKeySyncAsync(token, audience, TokenSettings.MaxKeySyncTokenLifetime, cancellationToken);
        if (!validated.IsValid)
        {
            var rejection = validated.Rejection!;
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, rejection.Message, rejection.Reason), identityProvider, new Sender(rejection.ClaimedIssuer, rejection.ClaimedSubject, rejection.ClaimedJti), clientIp, cancellationToken);
        }

        // 2. Of this very provider (a token of another one learns nothing about which names exist), matching a robot holding jwks-sync.
        var workload = validated.Token;
        var sender = new Sender(workload.Issuer, workload.Subject, workload.Jti);
        if (limits.CheckSubject(workload.Issuer, workload.Subject) is { } subjectWait)
        {
            return await RecordAsync(KeySyncResult.Limited(subjectWait), identityProvider, sender, clientIp, cancellationToken);
        }

        if (workload.IdentityProvider != identityProvider)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Forbidden, $"the token comes from identity provider '{workload.IdentityProvider}', not '{identityProvider}': only an issuer's own workloads may replace its keys"), identityProvider, sender, clientIp, cancellationToken);
        }

        if (string.IsNullOrEmpty(workload.Jti))
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, "a key-sync token needs a jti claim (each token is accepted once); Kubernetes service-account tokens carry one", "missing_claim"), identityProvider, sender, clientIp, cancellationToken);
        }

        // The robots holding jwks-sync that match, for the audit trail; the store re-checks them when it writes.
        var robots = snapshot.Matcher.Match(workload, username: null).MatchedRobots.Where(KeySyncPermission.IsHeldBy).Select(r => r.Name).ToList();
        sender = sender with { Robots = robots.Count == 0 ? null : string.Join(",", robots) };
        if (robots.Count == 0)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Forbidden, $"no robot with the {KeySyncPermission.Action} permission matched your token"), identityProvider, sender, clientIp, cancellationToken);
        }

        // 3. Public keys only, and they must still accept the token that sent them, so a sync can never lock out the key signing now.
        var (kids, problem) = SyncedKeySet.Check(jwks);
        if (kids is null)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Invalid, problem!), identityProvider, sender, clientIp, cancellationToken);
        }

        var trial = await snapshot.Validator.ValidateWithKeysAsync(token, identityProvider, jwks, cancellationToken, audience, TokenSettings.MaxKeySyncTokenLifetime);
        if (!trial.IsValid)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Invalid, $"the new JWKS does not accept the token that sent it ({trial.Rejection!.Message}): it must hold the key the issuer signs with now"), identityProvider, sender, clientIp, cancellationToken);
        }

        // Spent now, before the write: a token that got this far is not accepted again, whatever the write does.
        switch (spent.TrySpend(workload.Issuer, workload.Jti, workload.ExpiresAt + TimeSpan.FromMinutes(5)))
        {
            case TokenSpend.Replayed:
                return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, "this token was already used for key sync: each key-sync token is accepted once, request a fresh one", "token_replayed"), identityProvider, sender, clientIp, cancellationToken);
            case TokenSpend.Full:
                return await RecordAsync(KeySyncResult.Limited(TimeSpan.FromMinutes(1)), identityProvider, sender, clientIp, cancellationToken);
        }

        // 4. Store, if a robot holding jwks-sync still matches and the provider's keys are still static, as
        //    the store says now: every replica trusts the new keys from its next reload.
        var before = snapshot.Validator.KeyHealth().FirstOrDefault(h => h.IdentityProvider == identityProvider)?.KeyIds ?? [];
        var syncedAt = time.GetUtcNow();
        var change = await state.SyncKeysAsync(identityProvider, new SyncedJwks(jwks, kids, syncedAt, workload.Issuer, workload.Subject, workload.Jti), workload, cancellationToken);
        var message = string.Join("; ", change.Errors);
        var result = change.Outcome switch
        {
            FederationChangeOutcome.Applied => new KeySyncResult(KeySyncOutcome.Synced, $"identity provider '{identityProvider}' now trusts keys {string.Join(", ", kids)}", Kids: kids, SyncedAt: syncedAt, Change: Describe(before, kids)),
            FederationChangeOutcome.NotFound => new KeySyncResult(KeySyncOutcome.NotFound, message),
            FederationChangeOutcome.Conflict => new KeySyncResult(KeySyncOutcome.Conflict, message),
            FederationChangeOutcome.Forbidden => new KeySyncResult(KeySyncOutcome.Forbidden, message),
            _ => new KeySyncResult(KeySyncOutcome.Invalid, message),
        };
        return await RecordAsync(result, identityProvider, sender, clientIp, cancellationToken);
    }

    private static string Describe(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        static string List(IEnumerable<string> kids) => kids.Any() ? string.Join(",", kids) : "none";
        return $"added {List(after.Except(before, StringComparer.Ordinal))}, removed {List(before.Except(after, StringComparer.Ordinal))}";
    }

    private async Task<KeySyncResult> RecordAsync(KeySyncResult result, string identityProvider, Sender? sender, string? clientIp, CancellationToken cancellationToken)
    {
        // The name comes from the URL of a possibly anonymous caller: bounded and printable in the audit log.
        var name = new string([.. identityProvider.Take(MaxNameInAudit).Select(c => char.IsControl(c) ? '?' : c)]);
        var reason = result.Outcome == KeySyncOutcome.Synced
            ? $"identity provider {name}: keys {string.Join(",", result.Kids!)} ({result.Change})"
            : $"identity provider {name}: {result.Reason ?? result.Outcome.ToString().ToLowerInvariant()}: {result.Message}";
        await audit.RecordAsync(
            new AuditEntry(
                time.GetUtcNow(),
                "key-sync",
                result.Outcome == KeySyncOutcome.Synced ? "accepted" : "refused",
                Printable(sender?.Issuer),
                Printable(sender?.Subject),
                Printable(sender?.TokenId),
                sender?.Robots,
                ClientIp: clientIp,
                Reason: reason),
            cancellationToken);
        return result;
    }

    private static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    private sealed record Sender(string? Issuer, string? Subject, string? TokenId, string? Robots = null);
}
