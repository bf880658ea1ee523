using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Auth;

/// <summary>Reads <c>Authorization: Basic base64(user:password)</c>; the password may itself contain colons.</summary>
internal static class BasicCredentials
{
    /// <remarks>
    /// Decodes into a pooled buffer and makes only the two strings it returns: the password is a
    /// workload JWT of a kilobyte or more on every token exchange, and the substring, byte array and
    /// whole decoded string it used to make were a fifth of the token handler's time. The buffer held
    /// credentials, so it is cleared before it goes back to the pool. Splitting the bytes at the first
    /// <c>:</c> is the same as splitting the decoded text: in UTF-8 that byte never occurs inside a
    /// multi-byte character.
    /// </remarks>
    public static bool TryParse(string? header, [NotNullWhen(true)] out string? username, [NotNullWhen(true)] out string? password)
    {
        username = null;
        password = null;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header.AsSpan(6).Trim();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, encoded.Length / 4 * 3 + 3));
        try
        {
            // Like Convert.FromBase64String: whitespace inside is ignored, anything else invalid fails.
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var length))
            {
                return false;
            }

            var decoded = buffer.AsSpan(0, length);
            var colon = decoded.IndexOf((byte)':');
            if (colon < 0)
            {
                return false;
            }

            username = Encoding.UTF8.GetString(decoded[..colon]);
            password = Encoding.UTF8.GetString(decoded[(colon + 1)..]);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
