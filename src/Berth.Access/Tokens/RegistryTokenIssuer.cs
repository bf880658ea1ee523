using System.Security.Cryptography;
using System.Text.Json;
using Berth.Access.Scopes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tokens;

/// <summary>
/// Issues Berth's registry tokens: ES256 JWTs with header <c>typ: at+jwt</c> (RFC 9068, so no workload
/// token can pass for one and the reverse) and <c>kid</c>, and the claims docker distribution reads
/// (<c>iss sub aud exp nbf iat jti access</c>; <c>aud</c> a single string for distribution 2.8).
/// </summary>
public sealed class RegistryTokenIssuer
{
    /// <summary>The JWT <c>typ</c> of registry tokens.</summary>
    public const string TokenType = "at+jwt";

    /// <summary>Claim naming the robots the token was issued for; other registries ignore it.</summary>
    public const string RobotsClaim = "robots";

    private readonly RegistrySigningKey _key;
    private readonly RegistryTokenOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public RegistryTokenIssuer(RegistrySigningKey key, RegistryTokenOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Lifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("The registry token lifetime must be at least one second.", nameof(options));
        }

        _key = key;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Signs a token for <paramref name="subject"/> with <paramref name="access"/>. Its lifetime is the
    /// configured one, cut to end no later than <paramref name="notAfter"/> (the workload token's or refresh
    /// token's expiry; null for a classic robot secret). When less than 60 s remain, the token gets just what
    /// remains and <see cref="IssuedRegistryToken.ExpiresIn"/> says so.
    /// Returns false when not even one whole second remains: the caller answers <c>token_expired</c>.
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

        var tokenId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var entries = access.Select(s => new RegistryAccessEntry(s.Type, s.Name, s.Actions)).ToArray();
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key.SecurityKey, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = tokenId,
                ["access"] = JsonSerializer.SerializeToElement(entries),
                [RobotsClaim] = JsonSerializer.SerializeToElement(robots),
            },
        };

        token = new IssuedRegistryToken(_handler.CreateToken(descriptor), (int)expiresIn, issuedAt, expiresAt, tokenId);
        return true;
    }
}
