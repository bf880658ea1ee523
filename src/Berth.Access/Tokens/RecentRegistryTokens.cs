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
/// Why handing the same token out again is safe: the access is decided again on every exchange, from the
/// current robots, rules and permissions; only the signed bytes of a decision that came out the same are
/// reused. The key is every input of the claims (length-prefixed, compared in full), so a token is only
/// ever handed out for exactly the claims it carries: a different grant, subject, robot set or credential
/// expiry never finds another's token. Apart from <c>jti</c>, <c>iat</c>/<c>nbf</c> and <c>exp</c> it is the token
/// a fresh signature would give, and its <c>exp</c> is never later than a fresh one's (at most the window
/// earlier). Revocation works on use, not on issue (the verifier's caller checks the robots are still
/// enabled at every request), so it treats both alike; no refresh token is involved. The window is at most
/// a tenth of the lifetime, so the caller always gets ≥ 90% of it.
/// Bounded memory: at most <see cref="MaxEntries"/> tokens and <see cref="MaxTotalChars"/> characters of keys
/// and tokens; a token (or key) over <see cref="MaxTokenChars"/> is signed afresh every time, never kept.
/// Stale entries go every <see cref="PruneEvery"/> insertions and whenever a bound is reached; when the bound
/// still holds after that (a burst of distinct claims), everything goes: the cache only saves signatures.
/// </remarks>
internal sealed class RecentRegistryTokens(TimeSpan window)
{
    internal const int MaxEntries = 10_000;
    internal const long MaxTotalChars = 4 * 1024 * 1024;
    internal const int MaxTokenChars = 16 * 1024;
    internal const int PruneEvery = 1024;

    private readonly Dictionary<string, IssuedRegistryToken> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _chars;
    private int _insertions;

    public TimeSpan Window => window;

    /// <summary>How many tokens are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    /// <summary>The characters of the keys and tokens kept now.</summary>
    public long Chars
    {
        get
        {
            lock (_gate)
            {
                return _chars;
            }
        }
    }

    /// <summary>A token for <paramref name="key"/> signed at most the window before <paramref name="now"/>, still valid for a whole second.</summary>
    public IssuedRegistryToken? Find(string key, DateTimeOffset now, DateTimeOffset freshExpiresAt)
    {
        IssuedRegistryToken? token;
        lock (_gate)
        {
            _tokens.TryGetValue(key, out token);
        }

        return token is not null
            && now - token.IssuedAt <= window
            && token.ExpiresAt <= freshExpiresAt
            && token.ExpiresAt - now >= TimeSpan.FromSeconds(1)
            ? token
            : null;
    }

    public void Remember(string key, IssuedRegistryToken token, DateTimeOffset now)
    {
        if (key.Length > MaxTokenChars || token.Token.Length > MaxTokenChars)
        {
            return;
        }

        lock (_gate)
        {
            if (_tokens.Remove(key, out var replaced))
            {
                _chars -= Size(key, replaced);
            }

            var size = Size(key, token);
            if (++_insertions % PruneEvery == 0 || !Fits(size))
            {
                RemoveStale(now);
            }

            if (!Fits(size))
            {
                _tokens.Clear();
                _chars = 0;
            }

            _tokens.Add(key, token);
            _chars += size;
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

    private void RemoveStale(DateTimeOffset now)
    {
        foreach (var (staleKey, stale) in _tokens)
        {
            if (now - stale.IssuedAt > window)
            {
                _tokens.Remove(staleKey); // allowed while enumerating a Dictionary since .NET Core 3.0
                _chars -= Size(staleKey, stale);
            }
        }
    }

    /// <summary>Whether one more entry of <paramref name="size"/> characters stays within both bounds.</summary>
    private bool Fits(long size) => _tokens.Count < MaxEntries && _chars + size <= MaxTotalChars;

    private static long Size(string key, IssuedRegistryToken token) => (long)key.Length + token.Token.Length;

    private static void Append(StringBuilder key, string value) => key.Append(value.Length).Append(':').Append(value);
}
