using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Admin;

/// <summary>Admin API tokens: <c>berth_at_</c> + 256 random bits; only the SHA-256 is stored (nothing to brute-force in 256 random bits).</summary>
internal static class AdminTokens
{
    public const string Prefix = "berth_at_";

    public static string Generate() => Prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
