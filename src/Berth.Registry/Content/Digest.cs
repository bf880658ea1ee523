using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Berth.Registry.Content;

/// <summary>
/// A content digest as the OCI image spec defines it (<c>algorithm:hex</c>). Only the
/// registered algorithms Berth can verify are accepted: sha256 and sha512.
/// </summary>
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    /// <summary>Lower-case hex encoded hash.</summary>
    public string Hex { get; }

    public override string ToString() => $"{Algorithm}:{Hex}";

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"'{value}' is not a valid digest");

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => -1,
        };
        if (hex.Length != expectedLength || !IsLowerHex(hex))
        {
            return false;
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>Digest of an in-memory buffer (manifests only; blobs are hashed while streaming).</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256)
    {
        var hex = algorithm switch
        {
            Sha256 => Convert.ToHexStringLower(SHA256.HashData(content)),
            Sha512 => Convert.ToHexStringLower(SHA512.HashData(content)),
            _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
        };
        return new Digest(algorithm, hex);
    }

    /// <summary>An incremental hasher for this digest's algorithm.</summary>
    public static IncrementalHash CreateHasher(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
    };

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    private static bool IsLowerHex(string hex)
    {
        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
