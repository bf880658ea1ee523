using System.Collections.Frozen;
using System.Text.Json;
using Berth.Federation.IdentityProviders;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.Tokens;

/// <summary>
/// Validates workload OIDC tokens against the configured identity providers (RFC 8725): the unverified
/// <c>iss</c> selects the provider (nothing is fetched for an unknown issuer), then only that provider's
/// keys verify the signature. Never logs the token; logs <c>iss</c>, <c>sub</c> and <c>jti</c>.
/// </summary>
public sealed class WorkloadTokenValidator : IDisposable
{
    /// <summary>Asymmetric algorithms only; <c>none</c> and HMAC (HS*) are refused. EdDSA is not supported by IdentityModel 8.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = 1024 * 1024 };
    private static readonly IReadOnlyList<string> NoAudiences = [];
    private static readonly DateTimeOffset MaxNumericDate = DateTimeOffset.MaxValue.AddDays(-2);

    private readonly FrozenDictionary<string, IdentityProviderKeys> _byIssuer;
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _largestTokenBytes;
    private readonly MemoryCache _accepted = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <param name="identityProviders">The trusted providers; refused with every problem listed when invalid.</param>
    /// <param name="httpClient">Used for discovery and JWKS fetches; owned by the caller.</param>
    /// <param name="timeProvider">The clock for token lifetimes, key refresh and staleness.</param>
    /// <param name="logger">Optional.</param>
    public WorkloadTokenValidator(
        IEnumerable<IdentityProviderOptions> identityProviders,
        HttpClient httpClient,
        TimeProvider timeProvider,
        ILogger? logger = null)
        : this(identityProviders, httpClient, timeProvider, logger, previous: null)
    {
    }

    private WorkloadTokenValidator(
        IEnumerable<IdentityProviderOptions> identityProviders,
        HttpClient httpClient,
        TimeProvider timeProvider,
        ILogger? logger,
        FrozenDictionary<string, IdentityProviderKeys>? previous)
    {
        ArgumentNullException.ThrowIfNull(identityProviders);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var providers = identityProviders.ToList();
        var errors = IdentityProviderOptionsValidator.ValidateAll(providers);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid identity providers:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(identityProviders));
        }

        _httpClient = httpClient;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _byIssuer = providers.ToFrozenDictionary(
            p => p.Issuer,
            p => previous is not null && previous.TryGetValue(p.Issuer, out var kept) && SameOptions(kept.Options, p)
                ? kept
                : new IdentityProviderKeys(p, CreateSource(p, httpClient), timeProvider, _logger),
            StringComparer.Ordinal);
        _largestTokenBytes = providers.Select(p => p.MaxTokenBytes).DefaultIfEmpty(16 * 1024).Max();
    }

    /// <summary>
    /// A validator for a changed list of providers that keeps the key cache of every provider whose options
    /// did not change, so editing one issuer neither refetches another issuer's keys nor loses them while
    /// that issuer is unreachable. Accepted tokens are not carried over: a changed audience or limit
    /// applies from the next request. This validator itself when nothing changed.
    /// </summary>
    public WorkloadTokenValidator WithIdentityProviders(IEnumerable<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(identityProviders);
        var providers = identityProviders.ToList();
        var unchanged = providers.Count == _byIssuer.Count
            && providers.All(p => _byIssuer.TryGetValue(p.Issuer, out var kept) && SameOptions(kept.Options, p));
        return unchanged ? this : new(providers, _httpClient, _time, _logger, _byIssuer);
    }

    /// <summary>Longest time an accepted token is served from memory instead of being checked again.</summary>
    public static readonly TimeSpan AcceptedCacheLifetime = TimeSpan.FromMinutes(5);

    public IReadOnlyList<IdentityProviderOptions> IdentityProviders => _byIssuer.Values.Select(k => k.Options).ToList();

    /// <summary>The payload of a token without verifying anything, or null when it cannot be parsed. For admin explain only.</summary>
    public static JsonElement? ReadUnverifiedClaims(string jwt) => jwt is null ? null : UnverifiedJwt.ReadPayload(jwt);

    /// <summary>
    /// Validates one token. Never throws for a bad token: the result carries the reason. Accepted tokens
    /// are remembered by their exact text for at most <see cref="AcceptedCacheLifetime"/> (and never past
    /// their own expiry), because clients send the same login token for every scope they fetch; so a key
    /// withdrawn by its issuer stops being honoured within that time. Refusals are never remembered.
    /// </summary>
    public async Task<WorkloadTokenResult> ValidateAsync(string jwt, CancellationToken cancellationToken)
    {
        if (jwt is not null && _accepted.TryGetValue(jwt, out AcceptedToken? known) && known is not null)
        {
            if (_time.GetUtcNow() < known.Until)
            {
                return known.Result;
            }

            _accepted.Remove(jwt);
        }

        var result = await ValidateUncachedAsync(jwt!, cancellationToken);
        if (result.IsValid)
        {
            var until = Min(result.Token.ExpiresAt, _time.GetUtcNow() + AcceptedCacheLifetime);
            _accepted.Set(jwt!, new AcceptedToken(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = AcceptedCacheLifetime });
        }

        return result;
    }

    public void Dispose() => _accepted.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>
    /// Validates a key-sync token: as <see cref="ValidateAsync"/>, but its audience must be
    /// <paramref name="audience"/> (key sync's own, never a login audience, so a login token cannot be
    /// replayed to replace keys, nor a key-sync token used to log in) and it may live at most
    /// <paramref name="maxLifetime"/>. Never cached: each use is checked, and spent, on its own.
    /// </summary>
    public Task<WorkloadTokenResult> ValidateForKeySyncAsync(string jwt, string audience, TimeSpan maxLifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        return ValidateUncachedAsync(jwt, cancellationToken, options => KeySyncOptions(options, audience, maxLifetime));
    }

    private static IdentityProviderOptions KeySyncOptions(IdentityProviderOptions options, string audience, TimeSpan maxLifetime) =>
        options with { Audiences = [audience], MaxTokenLifetime = options.MaxTokenLifetime < maxLifetime ? options.MaxTokenLifetime : maxLifetime };

    private async Task<WorkloadTokenResult> ValidateUncachedAsync(string jwt, CancellationToken cancellationToken, Func<IdentityProviderOptions, IdentityProviderOptions>? adjust = null)
    {
        var token = (jwt ?? string.Empty).Trim();
        if (token.Length > _largestTokenBytes)
        {
            return Refuse(TokenRejectionReasons.TokenTooLarge, $"the token is larger than {_largestTokenBytes} bytes", null);
        }

        if (token.Any(c => c > 0x7f))
        {
            return Refuse(TokenRejectionReasons.MalformedToken, "the token contains non-ASCII characters", null);
        }

        if (!UnverifiedJwt.TryParse(token, out var parsed, out var problem))
        {
            return Refuse(TokenRejectionReasons.MalformedToken, problem!, null);
        }

        var unverified = parsed!;
        if (!AllowedAlgorithms.Contains(unverified.Algorithm, StringComparer.Ordinal))
        {
            return Refuse(TokenRejectionReasons.AlgorithmNotAllowed,
                $"alg '{Printable(unverified.Algorithm)}' is not allowed; use one of {string.Join(", ", AllowedAlgorithms)}", unverified);
        }

        if (unverified.Issuer is null)
        {
            return Refuse(TokenRejectionReasons.MissingClaim, "the token has no iss claim", unverified);
        }

        if (!_byIssuer.TryGetValue(unverified.Issuer, out var provider))
        {
            return Refuse(TokenRejectionReasons.UnknownIssuer, $"issuer '{Printable(unverified.Issuer)}' is not a trusted identity provider", unverified);
        }

        var options = adjust is null ? provider.Options : adjust(provider.Options);
        if (token.Length > options.MaxTokenBytes)
        {
            return Refuse(TokenRejectionReasons.TokenTooLarge, $"the token is larger than {options.MaxTokenBytes} bytes", unverified);
        }

        if (!unverified.Payload.TryGetProperty("exp", out _))
        {
            return Refuse(TokenRejectionReasons.MissingClaim, "the token has no exp claim", unverified);
        }

        if (string.IsNullOrEmpty(unverified.Subject))
        {
            return Refuse(TokenRejectionReasons.MissingClaim, "the token has no sub claim", unverified);
        }

        if (!unverified.HasSignature)
        {
            return Refuse(TokenRejectionReasons.SignatureInvalid, "the token has no signature", unverified);
        }

        var lookup = await provider.GetKeysAsync(unverified.KeyId, cancellationToken);
        if (!lookup.Found)
        {
            return Refuse(TokenRejectionReasons.UnknownKey, lookup.Problem!, unverified);
        }

        // A key that declares its algorithm is only used for that algorithm.
        var keys = lookup.Keys.Where(k => string.IsNullOrEmpty(k.Alg) || k.Alg == unverified.Algorithm).ToList();
        if (keys.Count == 0)
        {
            return Refuse(TokenRejectionReasons.SignatureInvalid, $"no key of identity provider '{options.Name}' is for alg {unverified.Algorithm}", unverified);
        }

        var result = await Handler.ValidateTokenAsync(token, Parameters(options, keys, unverified.KeyId is null));
        if (!result.IsValid)
        {
            var (reason, message) = SignatureFailures.Map(result.Exception);
            return Refuse(reason, message, unverified);
        }

        return CheckTimes(options, unverified) ?? Accept(options, unverified);
    }

    /// <summary>
    /// Validates <paramref name="jwt"/> as <paramref name="identityProvider"/>'s token, but with the pasted key
    /// set <paramref name="jwks"/> in place of the provider's own keys: whether a replacement key set would
    /// still accept a token (key sync refuses a set that would lock out the key signing right now).
    /// Nothing is cached or changed.
    /// </summary>
    /// <param name="keySyncAudience">With key sync's audience and lifetime (<see cref="ValidateForKeySyncAsync"/>) when set.</param>
    public async Task<WorkloadTokenResult> ValidateWithKeysAsync(string jwt, string identityProvider, string jwks, CancellationToken cancellationToken, string? keySyncAudience = null, TimeSpan? keySyncLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var provider = Find(identityProvider) ?? throw new ArgumentException($"'{identityProvider}' is not a trusted identity provider", nameof(identityProvider));
        var options = provider.Options with { Jwks = jwks, JwksFile = null, DiscoveryUrl = null, JwksUrl = null };
        if (keySyncAudience is not null)
        {
            options = KeySyncOptions(options, keySyncAudience, keySyncLifetime ?? options.MaxTokenLifetime);
        }

        using var trial = new WorkloadTokenValidator([options], _httpClient, _time, NullLogger.Instance);
        return await trial.ValidateUncachedAsync(jwt, cancellationToken);
    }

    /// <summary>Key cache state of every provider, for the admin API.</summary>
    public IReadOnlyList<IdentityProviderKeyHealth> KeyHealth() => _byIssuer.Values.Select(k => k.Health()).ToList();

    /// <summary>Fetches every refreshable provider's keys now, in parallel (e.g. at start-up); failures show in <see cref="KeyHealth"/>.</summary>
    public Task RefreshKeysAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_byIssuer.Values.Select(k => k.FetchAsync(cancellationToken)));

    /// <summary>Fetches one provider's keys now (the admin's "refresh keys"); failures show in <see cref="KeyHealth"/>.</summary>
    /// <returns>False when no provider has that name.</returns>
    public async Task<bool> RefreshKeysAsync(string identityProvider, CancellationToken cancellationToken)
    {
        if (Find(identityProvider) is not { } provider)
        {
            return false;
        }

        await provider.FetchAsync(cancellationToken);
        return true;
    }

    private IdentityProviderKeys? Find(string identityProvider) =>
        _byIssuer.Values.FirstOrDefault(k => string.Equals(k.Options.Name, identityProvider, StringComparison.Ordinal));

    private sealed record AcceptedToken(WorkloadTokenResult Result, DateTimeOffset Until);

    private static TokenValidationParameters Parameters(IdentityProviderOptions options, IReadOnlyList<JsonWebKey> keys, bool noKid) => new()
    {
        ValidIssuer = options.Issuer,
        ValidateIssuer = true,
        ValidAudiences = options.Audiences,
        ValidateAudience = true,
        RequireAudience = true,
        IgnoreTrailingSlashWhenValidatingAudience = false,

        // IdentityModel 8 reads the wall clock for lifetimes; Berth checks exp/nbf/iat itself on the injected clock.
        ValidateLifetime = false,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = options.ClockSkew,
        ValidAlgorithms = AllowedAlgorithms,
        IssuerSigningKeys = keys,

        // Keys come only from this provider. A token without kid may try each of them; a token with a kid
        // was given only the keys with that kid, so it never falls back to other keys.
        TryAllIssuerSigningKeys = noKid,
        ValidateIssuerSigningKey = false,
        ValidateWithLKG = false,
        SaveSigninToken = false,
    };

    private WorkloadTokenResult? CheckTimes(IdentityProviderOptions options, UnverifiedJwt token)
    {
        var now = _time.GetUtcNow();
        var exp = NumericDate(token.Payload, "exp");
        var iat = NumericDate(token.Payload, "iat");
        var nbf = NumericDate(token.Payload, "nbf");
        if (exp is null || (token.Payload.TryGetProperty("iat", out _) && iat is null) || (token.Payload.TryGetProperty("nbf", out _) && nbf is null))
        {
            return Refuse(TokenRejectionReasons.MalformedToken, "exp, nbf or iat is out of range", token);
        }

        if (exp.Value + options.ClockSkew <= now)
        {
            return Refuse(TokenRejectionReasons.TokenExpired, $"the token expired at {exp.Value:O}", token);
        }

        if (nbf > now + options.ClockSkew)
        {
            return Refuse(TokenRejectionReasons.TokenNotYetValid, "the token is not valid yet (nbf is in the future)", token);
        }

        if (nbf > exp)
        {
            return Refuse(TokenRejectionReasons.MalformedToken, "the token's nbf is after its exp", token);
        }

        if (iat > now + options.ClockSkew)
        {
            return Refuse(TokenRejectionReasons.TokenNotYetValid, "the token was issued in the future (iat)", token);
        }

        var lifetime = exp.Value - (iat ?? now);
        if (lifetime > options.MaxTokenLifetime)
        {
            return Refuse(TokenRejectionReasons.LifetimeTooLong, $"the token lives {lifetime}, longer than the allowed {options.MaxTokenLifetime}", token);
        }

        return null;
    }

    private WorkloadTokenResult Accept(IdentityProviderOptions options, UnverifiedJwt token)
    {
        var audiences = ClaimsAudiences(token.Payload);
        var validated = new ValidatedWorkloadToken(options.Name, token.Issuer!, token.Subject!, token.Jti, audiences,
            NumericDate(token.Payload, "exp")!.Value, NumericDate(token.Payload, "iat"), token.Payload);
        // Debug only: a valid token may still match no robot; the token service logs the final outcome once.
        _logger.LogDebug("Verified workload token from {IdentityProvider}: iss={Issuer} sub={Subject} jti={Jti}",
            options.Name, validated.Issuer, validated.Subject, validated.Jti);
        return WorkloadTokenResult.Valid(validated);
    }

    private WorkloadTokenResult Refuse(string reason, string message, UnverifiedJwt? token)
    {
        _logger.LogDebug("Workload token invalid: {Reason} ({Message}) iss={Issuer} sub={Subject} jti={Jti}",
            reason, message, Printable(token?.Issuer), Printable(token?.Subject), Printable(token?.Jti));
        return WorkloadTokenResult.Refused(new TokenRejection(reason, message, token?.Issuer, token?.Subject, token?.Jti));
    }

    private static IReadOnlyList<string> ClaimsAudiences(JsonElement payload) =>
        !payload.TryGetProperty("aud", out var aud) ? []
        : aud.ValueKind == JsonValueKind.String ? [aud.GetString()!]
        : aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
        : [];

    private static DateTimeOffset? NumericDate(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value) || !value.TryGetDouble(out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > MaxNumericDate.ToUnixTimeSeconds())
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }

    private static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    // Record equality compares lists by reference, so audiences are compared apart, element by element.
    private static bool SameOptions(IdentityProviderOptions a, IdentityProviderOptions b) =>
        a with { Audiences = NoAudiences } == b with { Audiences = NoAudiences } && a.Audiences.SequenceEqual(b.Audiences, StringComparer.Ordinal);

    private static IKeySource CreateSource(IdentityProviderOptions options, HttpClient httpClient)
    {
        var retriever = new BoundedDocumentRetriever(httpClient, options.AllowInsecureHttp, options.AllowLinkLocalAddresses);
        if (options.Jwks is not null)
        {
            return StaticKeySource.Pasted(options.Jwks);
        }

        if (options.JwksFile is not null)
        {
            return StaticKeySource.File(options.JwksFile);
        }

        return options.JwksUrl is not null
            ? new JwksUrlKeySource(options.JwksUrl, retriever)
            : new DiscoveryKeySource(options.EffectiveDiscoveryUrl!, options.Issuer, retriever);
    }
}
