using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Http;

/// <summary>Reads <c>Authorization: Basic base64(user:password)</c>; the password may itself contain colons.</summary>
internal static class BasicCredentials
{
    public static bool TryParse(string? header, [NotNullWhen(true)] out string? username, [NotNullWhen(true)] out string? password)
    {
        username = null;
        password = null;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
