using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Berth.Auth;

/// <summary>
/// The token service's answer to an issued token, as the JSON docker and OAuth2 clients read:
/// <c>token</c> and <c>access_token</c>, <c>expires_in</c>, <c>issued_at</c>, and when set <c>refresh_token</c>,
/// <c>refresh_expires_in</c> and (OAuth2 form) <c>scope</c>. Written into a per-thread buffer so the host can
/// send it with a Content-Length in one write, not chunked through a serializer: on the token service's
/// hot path both the extra chunk framing and a body allocation per exchange showed up.
/// </summary>
internal static class TokenResponseJson
{
    /// <summary>A buffer that grew past this (a token with very many scopes) is not kept for the next answer.</summary>
    private const int MaxKeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>
    /// The body for <paramref name="result"/> (which must be issued). The bytes live in this thread's
    /// buffer until the next call on the thread: copy them before any <c>await</c>.
    /// </summary>
    public static ReadOnlySpan<byte> Write(TokenResult result, bool oauth)
    {
        var token = result.Token ?? throw new ArgumentException("only an issued token has a response body", nameof(result));
        var output = buffer ??= new ArrayBufferWriter<byte>(2048);
        if (output.Capacity > MaxKeptBytes)
        {
            output = buffer = new ArrayBufferWriter<byte>(2048);
            writer = null;
        }

        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output);
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("token", token.Token);
        json.WriteString("access_token", token.Token);
        json.WriteNumber("expires_in", token.ExpiresIn);
        Span<char> issuedAt = stackalloc char[32];
        token.IssuedAt.UtcDateTime.TryFormat(issuedAt, out var length, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        json.WriteString("issued_at", issuedAt[..length]);
        if (result.RefreshToken is { } refresh)
        {
            json.WriteString("refresh_token", refresh);
        }

        if (result.RefreshExpiresAt is { } until)
        {
            json.WriteNumber("refresh_expires_in", Math.Max(0, (long)(until - token.IssuedAt).TotalSeconds));
        }

        if (oauth)
        {
            json.WriteString("scope", string.Join(' ', result.Granted));
        }

        json.WriteEndObject();
        json.Flush();
        return output.WrittenSpan;
    }
}
