using Berth.Access.Audit;
using Berth.Audit;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;

namespace Berth.Auth;

/// <summary>
/// Key sync for private issuers: a workload of identity provider N sends N's new JWKS, authenticated by a
/// token of N that the keys trusted now accept and that matches a robot of N holding <c>jwks-sync</c>.
/// A cluster publishes a new verification key before it signs with it, so a sync that runs more often
/// than that overlap carries Berth across a rotation with no human. Every attempt is audited (kind
/// <c>key-sync</c>); the token itself never is.
/// </summary>
internal sealed class KeySync(FederationState state, AuditTrail audit, TimeProvider time)
{
    public async Task<KeySyncResult> SyncAsync(string identityProvider, string? token, string jwks, string? clientIp, CancellationToken cancellationToken)
    {
        // 1. The sender's token, checked with the keys trusted now, before anything about providers is said.
        var snapshot = state.Current;
        if (string.IsNullOrWhiteSpace(token))
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, "send a token of this identity provider as Authorization: Bearer <token>", "missing_token"), identityProvider, null, clientIp, cancellationToken);
        }

        var validated = await snapshot.Validator.ValidateAsync(token, cancellationToken);
        if (!validated.IsValid)
        {
            var rejection = validated.Rejection!;
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Unauthorized, rejection.Message, rejection.Reason), identityProvider, new Sender(rejection.ClaimedIssuer, rejection.ClaimedSubject, rejection.ClaimedJti, null), clientIp, cancellationToken);
        }

        // 2. Of this provider, whose keys are static (a provider with a discovery or JWKS URL fetches its own).
        var workload = validated.Token;
        var sender = new Sender(workload.Issuer, workload.Subject, workload.Jti, null);
        var provider = snapshot.Model.IdentityProviders.FirstOrDefault(p => p.Name == identityProvider);
        if (provider is null)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.NotFound, $"identity provider '{identityProvider}' does not exist"), identityProvider, sender, clientIp, cancellationToken);
        }

        if (workload.IdentityProvider != identityProvider)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Forbidden, $"the token comes from identity provider '{workload.IdentityProvider}', not '{identityProvider}': only an issuer's own workloads may replace its keys"), identityProvider, sender, clientIp, cancellationToken);
        }

        if (FederationState.KeySyncRefusal(provider) is { } refusal)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Conflict, refusal), identityProvider, sender, clientIp, cancellationToken);
        }

        // 3. A robot of this provider that holds jwks-sync.
        var robots = snapshot.Matcher.Match(workload, username: null).MatchedRobots.Where(KeySyncPermission.IsHeldBy).Select(r => r.Name).ToList();
        sender = sender with { Robots = string.Join(",", robots) };
        if (robots.Count == 0)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Forbidden, $"no robot with the {KeySyncPermission.Action} permission matched your token"), identityProvider, sender, clientIp, cancellationToken);
        }

        // 4. Public keys only, and they must still accept the token that sent them, so a sync can never lock out the key signing now.
        var (kids, problem) = SyncedKeySet.Check(jwks);
        if (kids is null)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Invalid, problem!), identityProvider, sender, clientIp, cancellationToken);
        }

        var trial = await snapshot.Validator.ValidateWithKeysAsync(token, identityProvider, jwks, cancellationToken);
        if (!trial.IsValid)
        {
            return await RecordAsync(new KeySyncResult(KeySyncOutcome.Invalid, $"the new JWKS does not accept the token that sent it ({trial.Rejection!.Message}): it must hold the key the issuer signs with now"), identityProvider, sender, clientIp, cancellationToken);
        }

        // 5. Store: every replica trusts the new keys from its next reload.
        var syncedAt = time.GetUtcNow();
        var change = await state.SyncKeysAsync(identityProvider, new SyncedJwks(jwks, kids, syncedAt, workload.Subject, workload.Jti), cancellationToken);
        var result = change.Outcome switch
        {
            FederationChangeOutcome.Applied => new KeySyncResult(KeySyncOutcome.Synced, $"identity provider '{identityProvider}' now trusts keys {string.Join(", ", kids)}", Kids: kids, SyncedAt: syncedAt),
            FederationChangeOutcome.NotFound => new KeySyncResult(KeySyncOutcome.NotFound, string.Join("; ", change.Errors)),
            FederationChangeOutcome.Conflict => new KeySyncResult(KeySyncOutcome.Conflict, string.Join("; ", change.Errors)),
            _ => new KeySyncResult(KeySyncOutcome.Invalid, string.Join("; ", change.Errors)),
        };
        return await RecordAsync(result, identityProvider, sender, clientIp, cancellationToken);
    }

    private async Task<KeySyncResult> RecordAsync(KeySyncResult result, string identityProvider, Sender? sender, string? clientIp, CancellationToken cancellationToken)
    {
        var reason = result.Outcome == KeySyncOutcome.Synced
            ? $"identity provider {identityProvider}: keys {string.Join(",", result.Kids!)}"
            : $"identity provider {identityProvider}: {result.Reason ?? result.Outcome.ToString().ToLowerInvariant()}: {result.Message}";
        await audit.RecordAsync(
            new AuditEntry(
                time.GetUtcNow(),
                "key-sync",
                result.Outcome == KeySyncOutcome.Synced ? "accepted" : "refused",
                sender?.Issuer,
                sender?.Subject,
                sender?.TokenId,
                string.IsNullOrEmpty(sender?.Robots) ? null : sender.Robots,
                ClientIp: clientIp,
                Reason: reason),
            cancellationToken);
        return result;
    }

    private sealed record Sender(string? Issuer, string? Subject, string? TokenId, string? Robots);
}
