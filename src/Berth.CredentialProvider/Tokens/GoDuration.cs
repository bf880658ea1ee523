using System.Globalization;
using System.Text;

namespace Berth.CredentialProvider.Tokens;

/// <summary>
/// Formats whole seconds the way Go's time.Duration.String does ("0s", "45s", "4m5s", "1h0m0s"),
/// which is what metav1.Duration (the kubelet's cacheDuration) parses.
/// </summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        var total = (long)Math.Floor(Math.Max(0, duration.TotalSeconds));
        if (total == 0)
        {
            return "0s";
        }

        var hours = total / 3600;
        var minutes = total % 3600 / 60;
        var seconds = total % 60;
        var text = new StringBuilder();
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('s').ToString();
    }
}
