using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Access.Tokens;

/// <summary>
/// Signs a JWS in compact serialization with ES256 (RFC 7515 §7.1, RFC 7518 §3.4): base64url(header) "."
/// base64url(payload) "." base64url(r‖s). The header is fixed per key, so it is encoded once. This is the
/// whole of what JsonWebTokenHandler.CreateToken did for registry tokens, without its descriptor,
/// claim dictionary and intermediate strings: signing a registry token is on every token exchange.
/// The signature itself is the platform's ECDsa over SHA-256, nothing hand-rolled.
/// </summary>
internal sealed class Es256CompactJws
{
    /// <summary>P-256 signatures are r and s of 32 bytes each (IEEE P1363 form, as JWS requires).</summary>
    private const int SignatureBytes = 64;

    /// <summary>
    /// The escaping IdentityModel used: JSON-correct, no HTML-safety escapes (a JWT is never embedded in
    /// HTML unencoded), so <c>at+jwt</c> stays <c>at+jwt</c>.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ECDsa _key;
    private readonly byte[] _encodedHeader;

    public Es256CompactJws(ECDsa key, string keyId, string tokenType)
    {
        _key = key;
        var header = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(header, WriterOptions))
        {
            // Same members and order as IdentityModel wrote them.
            writer.WriteStartObject();
            writer.WriteString("alg", "ES256");
            writer.WriteString("kid", keyId);
            writer.WriteString("typ", tokenType);
            writer.WriteEndObject();
        }

        _encodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(header.WrittenSpan));
    }

    /// <param name="payload">The UTF-8 JSON claims set.</param>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        var payloadChars = Base64Url.GetEncodedLength(payload.Length);
        var signingInputLength = _encodedHeader.Length + 1 + payloadChars;
        var total = signingInputLength + 1 + Base64Url.GetEncodedLength(SignatureBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            _encodedHeader.CopyTo(buffer, 0);
            buffer[_encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, buffer.AsSpan(_encodedHeader.Length + 1, payloadChars));

            Span<byte> signature = stackalloc byte[SignatureBytes];
            if (!_key.TrySignData(buffer.AsSpan(0, signingInputLength), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written)
                || written != SignatureBytes)
            {
                throw new CryptographicException("ES256 signing did not produce a 64-byte signature.");
            }

            buffer[signingInputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, buffer.AsSpan(signingInputLength + 1));
            return Encoding.ASCII.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
