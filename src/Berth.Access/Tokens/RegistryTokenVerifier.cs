using System.Text.Json;
using Berth.Access.Scopes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tokens;

/// <summary>
/// Checks the Bearer tokens that reach <c>/v2</c>: only Berth's own registry tokens pass — ES256 signed by
/// one of the registry's keys (looked up by <c>kid</c>, no other key tried), <c>typ: at+jwt</c>, Berth's
/// issuer, the service audience, within their lifetime (with <see cref="RegistryTokenOptions.ClockSkew"/>).
/// A workload OIDC token sent as Bearer fails on type, issuer, key and audience (RFC 8725 §3.12).
/// Microsoft.IdentityModel does the signature and claim work; the pre-checks here only give clearer reasons.
/// </summary>
public sealed class RegistryTokenVerifier : IDisposable
{
    /// <summary>Verified tokens remembered, so a client reusing its token for every request pays one signature check.</summary>
    private const int CachedTokens = 10_000;

    /// <summary>Tokens travel in an HTTP header; anything bigger is not ours.</summary>
    public const int MaxTokenLength = 64 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly MemoryCache _verified = new(new MemoryCacheOptions { SizeLimit = CachedTokens });

    public RegistryTokenVerifier(IReadOnlyList<RegistrySigningKey> keys, RegistryTokenOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one registry key is needed to verify tokens.", nameof(keys));
        }

        _timeProvider = timeProvider;
        _clockSkew = options.ClockSkew;

        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidTypes = [RegistryTokenIssuer.TokenType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = keys.Select(k => (SecurityKey)k.SecurityKey).ToArray(),
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,

            // IdentityModel reads the system clock; lifetime is checked here against the injected one.
            LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(notBefore, expires, timeProvider, options.ClockSkew),
        };
    }

    /// <summary>
    /// Verifies the token. Successes are remembered by the exact token text until the token expires
    /// (the text is the signed content, so nothing else can hit the entry); failures never are.
    /// </summary>
    public async Task<RegistryTokenVerification> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (token is not null && _verified.TryGetValue(token, out RegistryTokenVerification? known) && known is not null)
        {
            if (_timeProvider.GetUtcNow() <= known.ExpiresAt + _clockSkew)
            {
                return known;
            }

            _verified.Remove(token);
        }

        var verification = await VerifyUncachedAsync(token!, cancellationToken).ConfigureAwait(false);
        if (verification.IsValid)
        {
            _verified.Set(token!, verification, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = verification.ExpiresAt + _clockSkew });
        }

        return verification;
    }

    public void Dispose() => _verified.Dispose();

    private async Task<RegistryTokenVerification> VerifyUncachedAsync(string token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(token))
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.MalformedToken);
        }

        if (token.Length > MaxTokenLength)
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.TokenTooLarge);
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.MalformedToken);
        }

        if (unverified.IsEncrypted)
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.MalformedToken);
        }

        if (unverified.Alg != SecurityAlgorithms.EcdsaSha256)
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.AlgorithmNotAllowed);
        }

        if (unverified.Typ != RegistryTokenIssuer.TokenType)
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.TypeNotAllowed);
        }

        if (string.IsNullOrEmpty(unverified.Kid))
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.UnknownKey);
        }

        var result = await _handler.ValidateTokenAsync(unverified, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return RegistryTokenVerification.Failed(ReasonFor(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!TryReadAccess(jwt, out var access))
        {
            return RegistryTokenVerification.Failed(RegistryTokenFailure.MalformedToken);
        }

        return new RegistryTokenVerification
        {
            Subject = jwt.Subject ?? "",
            TokenId = jwt.Id ?? "",
            ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            Access = access,
            Robots = ReadRobots(jwt),
        };
    }

    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeProvider timeProvider, TimeSpan skew)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp.");
        }

        if (notBefore is { } nbf && nbf > expires)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp.");
        }

        if (expires.Value + skew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        if (notBefore is { } start && start - skew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not yet valid.") { NotBefore = start };
        }

        return true;
    }

    private static string ReasonFor(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => RegistryTokenFailure.TokenExpired,
        SecurityTokenNotYetValidException => RegistryTokenFailure.TokenNotYetValid,
        SecurityTokenInvalidAudienceException => RegistryTokenFailure.AudienceMismatch,
        SecurityTokenInvalidIssuerException => RegistryTokenFailure.UnknownIssuer,
        SecurityTokenInvalidTypeException => RegistryTokenFailure.TypeNotAllowed,
        SecurityTokenInvalidAlgorithmException => RegistryTokenFailure.AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException => RegistryTokenFailure.UnknownKey,
        SecurityTokenInvalidSignatureException => RegistryTokenFailure.SignatureInvalid,
        _ => RegistryTokenFailure.MalformedToken,
    };

    /// <summary>Reads the <c>access</c> claim; absent means no access, anything ill-formed refuses the token.</summary>
    private static IReadOnlyList<string> ReadRobots(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string[]>(RegistryTokenIssuer.RobotsClaim, out var robots) && robots is not null ? robots : [];

    private static bool TryReadAccess(JsonWebToken jwt, out IReadOnlyList<ResourceScope> access)
    {
        access = [];
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
            if (!payload.RootElement.TryGetProperty("access", out var claim))
            {
                return true;
            }

            if (claim.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var scopes = new List<ResourceScope>();
            foreach (var entry in claim.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array
                    || actions.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
                {
                    return false;
                }

                scopes.Add(new ResourceScope(
                    type.GetString()!,
                    name.GetString()!,
                    actions.EnumerateArray().Select(a => a.GetString()!).ToArray()));
            }

            access = scopes;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
