using System.Globalization;

namespace Berth.Kube;

/// <summary>Parses <c>--interval</c>: <c>90s</c>, <c>30m</c>, <c>1h</c>, or a TimeSpan (<c>00:30:00</c>); between 1 minute and 24 hours.</summary>
public static class RefreshInterval
{
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    public static bool TryParse(string text, out TimeSpan interval, out string? error)
    {
        interval = default;
        error = null;
        text = text.Trim();
        if (text.Length > 1 && char.IsAsciiLetter(text[^1]) && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 100_000)
        {
            interval = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.MinValue,
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out interval))
        {
            interval = TimeSpan.MinValue;
        }

        if (interval == TimeSpan.MinValue)
        {
            error = $"--interval '{text}' is not a duration: use e.g. 30m, 1h or 00:30:00";
            return false;
        }

        if (interval < Min || interval > Max)
        {
            error = $"--interval must be between 1m and 24h (the refresh token lives 1 h by default: refresh well within it)";
            return false;
        }

        return true;
    }
}
