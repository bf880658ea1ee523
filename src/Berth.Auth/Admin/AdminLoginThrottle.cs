namespace Berth.Auth.Admin;

/// <summary>
/// Slows down password guessing on <c>Basic admin:…</c>: after <see cref="FreeFailures"/> failed logins from
/// one client IP, or for the administrator's username from anywhere, each further failure doubles the wait
/// (from <see cref="FirstDelay"/> up to <see cref="LongestDelay"/>) before another attempt is even checked.
/// A success clears both. Failures are forgotten after <see cref="Memory"/> without another.
/// </summary>
/// <remarks>
/// Only the administrator's own username is tracked per username: other names never log in, and tracking
/// them would let a flood of made-up names push the one that matters out of the table. The table holds at
/// most <see cref="MaxTracked"/> keys; when full, forgotten entries go first, then the longest quiet one.
/// </remarks>
internal sealed class AdminLoginThrottle(TimeProvider time)
{
    public const int FreeFailures = 5;
    public const int MaxTracked = 10_000;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestDelay = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Memory = TimeSpan.FromHours(1);

    private readonly Dictionary<string, Failures> failures = new(StringComparer.Ordinal);
    private readonly Lock sync = new();

    /// <returns>How long the caller must wait before its next attempt is checked, or null to check it now.</returns>
    public TimeSpan? RetryAfter(string? clientIp, string? username)
    {
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        lock (sync)
        {
            foreach (var key in Keys(clientIp, username))
            {
                if (failures.TryGetValue(key, out var entry) && entry.BlockedUntil > now && (wait is null || entry.BlockedUntil - now > wait))
                {
                    wait = entry.BlockedUntil - now;
                }
            }
        }

        return wait;
    }

    public void Failed(string? clientIp, string? username)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            foreach (var key in Keys(clientIp, username))
            {
                if (!failures.TryGetValue(key, out var entry) || entry.IsForgotten(now))
                {
                    MakeRoom(now);
                    entry = new Failures();
                    failures[key] = entry;
                }

                entry.Count++;
                entry.Last = now;
                if (entry.Count > FreeFailures)
                {
                    var doublings = Math.Min(entry.Count - FreeFailures - 1, 20);
                    var delay = FirstDelay * Math.Pow(2, doublings);
                    entry.BlockedUntil = now + (delay < LongestDelay ? delay : LongestDelay);
                }
            }
        }
    }

    public void Succeeded(string? clientIp, string? username)
    {
        lock (sync)
        {
            foreach (var key in Keys(clientIp, username))
            {
                failures.Remove(key);
            }
        }
    }

    private static IEnumerable<string> Keys(string? clientIp, string? username)
    {
        yield return "ip " + (clientIp ?? "unknown");
        if (username == AdminBootstrapOptions.Username)
        {
            yield return "user " + username;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (failures.Count < MaxTracked)
        {
            return;
        }

        foreach (var key in failures.Where(f => f.Value.IsForgotten(now)).Select(f => f.Key).ToList())
        {
            failures.Remove(key);
        }

        if (failures.Count >= MaxTracked)
        {
            failures.Remove(failures.MinBy(f => f.Value.Last).Key);
        }
    }

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public bool IsForgotten(DateTimeOffset now) => now >= BlockedUntil && now - Last >= Memory;
    }
}
