using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Refresh;

/// <summary>
/// Opaque refresh tokens: 256 random bits, base64url, with a recognisable prefix (so secret scanners and
/// humans can tell what leaked). Only <see cref="Hash"/> of a token is ever stored.
/// </summary>
public static class RefreshTokens
{
    public const string Prefix = "berth_rt_";

    public static string Generate() => Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Lower-case hex SHA-256, the store's lookup key. A fast hash is right here: the input is 256 random
    /// bits, so there is nothing to brute-force that a slow hash would protect.
    /// </summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
