namespace Berth.Federation.Tokens;

/// <summary>
/// Remembers the <c>jti</c> of each token spent on a one-time use (key sync) until the token expires, so
/// the same token cannot be used twice on this replica. Bounded: when it holds
/// <see cref="Capacity"/> unexpired entries it refuses new ones (fail closed) rather than forget one.
/// Tokens that may be spent here live at most minutes, so the bound is reached only by a flood, which
/// the rate limits in front of it stop first.
/// </summary>
public sealed class TokenReplayCache(TimeProvider time, int capacity = TokenReplayCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly Dictionary<(string Issuer, string Jti), DateTimeOffset> _spent = [];
    private readonly Lock _gate = new();

    public int Capacity => capacity;

    /// <summary>Records the token as spent; false when it was spent before (a replay) or the cache is full.</summary>
    /// <param name="until">When the token stops being valid anyway (its <c>exp</c> plus the clock skew).</param>
    public TokenSpend TrySpend(string issuer, string jti, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_spent.TryGetValue((issuer, jti), out var known) && known > now)
            {
                return TokenSpend.Replayed;
            }

            if (_spent.Count >= capacity)
            {
                foreach (var expired in _spent.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _spent.Remove(expired);
                }

                if (_spent.Count >= capacity)
                {
                    return TokenSpend.Full;
                }
            }

            _spent[(issuer, jti)] = until;
            return TokenSpend.Spent;
        }
    }
}

/// <summary>The answer of <see cref="TokenReplayCache.TrySpend"/>.</summary>
public enum TokenSpend
{
    Spent,
    Replayed,
    Full,
}
