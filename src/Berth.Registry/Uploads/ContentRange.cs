using System.Globalization;

namespace Berth.Registry.Uploads;

/// <summary>The <c>Content-Range: start-end</c> of an upload chunk (inclusive, from 0).</summary>
public readonly record struct ContentRange(long Start, long End)
{
    /// <summary>Null when absent; false when present but malformed.</summary>
    public static bool TryParse(string? header, out ContentRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return true;
        }

        // Clients send the spec's bare "0-1023"; tolerate an HTTP-style "bytes " or "bytes=" unit.
        var value = header.Trim();
        if (value.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            value = value[5..].TrimStart(' ', '=');
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            value = value[..slash];
        }

        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(value[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(value[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            return false;
        }

        range = new ContentRange(start, end);
        return true;
    }
}
