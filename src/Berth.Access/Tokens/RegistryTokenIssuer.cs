using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Access.Scopes;

namespace Berth.Access.Tokens;

/// <summary>
/// Issues Berth's registry tokens: ES256 JWTs with header <c>typ: at+jwt</c> (RFC 9068, so no workload
/// token can pass for one and the reverse) and <c>kid</c>, and the claims docker distribution reads
/// (<c>iss sub aud exp nbf iat jti access</c>; <c>aud</c> a single string for distribution 2.8).
/// The compact JWS is written here directly (<see cref="Es256CompactJws"/>) rather than through
/// JsonWebTokenHandler, which cost as much again as the signature itself on every exchange;
/// <see cref="RegistryTokenVerifier"/> still checks tokens with Microsoft.IdentityModel.
/// </summary>
public sealed class RegistryTokenIssuer
{
    /// <summary>The JWT <c>typ</c> of registry tokens.</summary>
    public const string TokenType = "at+jwt";

    /// <summary>Claim naming the robots the token was issued for; other registries ignore it.</summary>
    public const string RobotsClaim = "robots";

    private readonly RegistryTokenOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Es256CompactJws _jws;
    private readonly RecentRegistryTokens? _recent;

    public RegistryTokenIssuer(RegistrySigningKey key, RegistryTokenOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Lifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("The registry token lifetime must be at least one second.", nameof(options));
        }

        if (options.ReuseWindow < TimeSpan.Zero || options.ReuseWindow > options.Lifetime / 10)
        {
            throw new ArgumentException("The registry token reuse window must be between zero and a tenth of the lifetime.", nameof(options));
        }

        _options = options;
        _recent = options.ReuseWindow > TimeSpan.Zero ? new RecentRegistryTokens(options.ReuseWindow) : null;
        _jws = new Es256CompactJws(key.SecurityKey.ECDsa, key.KeyId, TokenType);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Signs a token for <paramref name="subject"/> with <paramref name="access"/>. Its lifetime is the
    /// configured one, cut to end no later than <paramref name="notAfter"/> (the workload token's or refresh
    /// token's expiry; null for a classic robot secret). When less than 60 s remain, the token gets just what
    /// remains and <see cref="IssuedRegistryToken.ExpiresIn"/> says so.
    /// Returns false when not even one whole second remains: the caller answers <c>token_expired</c>.
    /// With a <see cref="RegistryTokenOptions.ReuseWindow"/>, a token signed within it for the same claims is
    /// returned again (same <c>jti</c> and <c>exp</c>), with <see cref="IssuedRegistryToken.IssuedAt"/> now and
    /// <see cref="IssuedRegistryToken.ExpiresIn"/> what remains, so both end at its <c>exp</c>.
    /// </summary>
    public bool TryIssue(
        string subject,
        IReadOnlyList<ResourceScope> access,
        DateTimeOffset? notAfter,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IssuedRegistryToken? token) =>
        TryIssue(subject, [], access, notAfter, out token);

    /// <inheritdoc cref="TryIssue(string, IReadOnlyList{ResourceScope}, DateTimeOffset?, out IssuedRegistryToken?)"/>
    /// <param name="robots">The robots whose permissions bought this access, carried in the <c>robots</c> claim.</param>
    public bool TryIssue(
        string subject,
        IReadOnlyList<string> robots,
        IReadOnlyList<ResourceScope> access,
        DateTimeOffset? notAfter,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IssuedRegistryToken? token)
    {
        ArgumentNullException.ThrowIfNull(robots);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(access);
        token = null;

        // JWT times are whole seconds: truncate now, and truncate notAfter so exp never passes it.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(_timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + _options.Lifetime;
        if (notAfter is { } limit)
        {
            var limitSeconds = DateTimeOffset.FromUnixTimeSeconds(limit.ToUnixTimeSeconds());
            if (limitSeconds > limit)
            {
                limitSeconds = limitSeconds.AddSeconds(-1); // before 1970 ToUnixTimeSeconds rounds up
            }

            if (limitSeconds < expiresAt)
            {
                expiresAt = limitSeconds;
            }
        }

        var expiresIn = (long)(expiresAt - issuedAt).TotalSeconds;
        if (expiresIn < 1)
        {
            return false;
        }

        var reuseKey = _recent is null ? null : RecentRegistryTokens.Key(subject, robots, access, notAfter);
        if (reuseKey is not null && _recent!.Find(reuseKey, issuedAt, expiresAt) is { } recent)
        {
            token = recent with { IssuedAt = issuedAt, ExpiresIn = (int)(recent.ExpiresAt - issuedAt).TotalSeconds };
            return true;
        }

        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        var tokenId = Base64Url.EncodeToString(random);
        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload, Es256CompactJws.WriterOptions))
        {
            WriteClaims(writer, subject, tokenId, issuedAt.ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds(), access, robots);
        }

        token = new IssuedRegistryToken(_jws.Sign(payload.WrittenSpan), (int)expiresIn, issuedAt, expiresAt, tokenId);
        if (reuseKey is not null)
        {
            _recent!.Remember(reuseKey, token, issuedAt);
        }

        return true;
    }

    // Members in the order IdentityModel wrote them, so tokens read the same as before.
    private void WriteClaims(Utf8JsonWriter writer, string subject, string tokenId, long issuedAt, long expiresAt, IReadOnlyList<ResourceScope> access, IReadOnlyList<string> robots)
    {
        writer.WriteStartObject();
        writer.WriteString("aud", _options.Audience);
        writer.WriteString("iss", _options.Issuer);
        writer.WriteNumber("exp", expiresAt);
        writer.WriteNumber("iat", issuedAt);
        writer.WriteNumber("nbf", issuedAt);
        writer.WriteString("sub", subject);
        writer.WriteString("jti", tokenId);
        writer.WriteStartArray("access");
        foreach (var scope in access)
        {
            // One docker distribution ResourceActions each: type, name, actions.
            writer.WriteStartObject();
            writer.WriteString("type", scope.Type);
            writer.WriteString("name", scope.Name);
            writer.WriteStartArray("actions");
            foreach (var action in scope.Actions)
            {
                writer.WriteStringValue(action);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray(RobotsClaim);
        foreach (var robot in robots)
        {
            writer.WriteStringValue(robot);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
