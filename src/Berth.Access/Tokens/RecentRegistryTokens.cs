using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Berth.Access.Scopes;

namespace Berth.Access.Tokens;

/// <summary>
/// Registry tokens signed in the last <see cref="RegistryTokenOptions.ReuseWindow"/>, by everything that
/// goes into their claims: subject, robots, access (in order) and the credential's expiry. A client that
/// asks again for the same thing within the window gets the same token instead of a fresh signature.
/// </summary>
/// <remarks>
/// Why handing the same token out again is safe: it carries exactly the claims a fresh token would carry
/// (same subject, robots and granted access, the access decided again on this exchange from the current
/// robots), apart from <c>jti</c>, <c>iat</c>/<c>nbf</c> and <c>exp</c>, and its <c>exp</c> is never later than
/// a fresh one's (at most the window earlier). Revocation works on use, not on issue (the verifier's caller
/// checks the robots are still enabled at every request), so it treats both alike; no refresh token is
/// involved. The window is at most a tenth of the lifetime, so the caller always gets ≥ 90% of it.
/// Bounded memory: stale entries go every <see cref="PruneEvery"/> insertions, and everything goes past
/// <see cref="MaxEntries"/>.
/// </remarks>
internal sealed class RecentRegistryTokens(TimeSpan window)
{
    internal const int MaxEntries = 10_000;
    internal const int PruneEvery = 1024;

    private readonly ConcurrentDictionary<string, IssuedRegistryToken> _tokens = new(StringComparer.Ordinal);
    private int _insertions;

    public TimeSpan Window => window;

    /// <summary>A token for <paramref name="key"/> signed at most the window before <paramref name="now"/>, still valid for a whole second.</summary>
    public IssuedRegistryToken? Find(string key, DateTimeOffset now, DateTimeOffset freshExpiresAt) =>
        _tokens.TryGetValue(key, out var token)
            && now - token.IssuedAt <= window
            && token.ExpiresAt <= freshExpiresAt
            && token.ExpiresAt - now >= TimeSpan.FromSeconds(1)
            ? token
            : null;

    public void Remember(string key, IssuedRegistryToken token, DateTimeOffset now)
    {
        _tokens[key] = token;
        if (Interlocked.Increment(ref _insertions) % PruneEvery != 0)
        {
            return;
        }

        foreach (var (staleKey, stale) in _tokens)
        {
            if (now - stale.IssuedAt > window)
            {
                _tokens.TryRemove(staleKey, out _);
            }
        }

        if (_tokens.Count > MaxEntries)
        {
            _tokens.Clear();
        }
    }

    /// <summary>Every input of the claims, each length-prefixed so no two different inputs read alike.</summary>
    public static string Key(string subject, IReadOnlyList<string> robots, IReadOnlyList<ResourceScope> access, DateTimeOffset? notAfter)
    {
        var key = new StringBuilder(128);
        Append(key, subject);
        key.Append(robots.Count).Append('|');
        foreach (var robot in robots)
        {
            Append(key, robot);
        }

        key.Append(access.Count).Append('|');
        foreach (var scope in access)
        {
            Append(key, scope.Type);
            Append(key, scope.Name);
            key.Append(scope.Actions.Count).Append('|');
            foreach (var action in scope.Actions)
            {
                Append(key, action);
            }
        }

        key.Append(notAfter is { } limit ? limit.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-");
        return key.ToString();
    }

    private static void Append(StringBuilder key, string value) => key.Append(value.Length).Append(':').Append(value);
}
