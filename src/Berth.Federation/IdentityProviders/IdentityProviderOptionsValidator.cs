using System.Text.Json;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// Checks identity provider options before use. Each message names the provider and the field
/// (as the configuration file spells it), e.g. <c>identityProviders[github].audiences: …</c>.
/// </summary>
public static class IdentityProviderOptionsValidator
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MaxFetchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>All problems of one provider; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(IdentityProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var prefix = $"identityProviders[{(string.IsNullOrWhiteSpace(options.Name) ? "?" : options.Name)}]";
        void Error(string field, string message) => errors.Add($"{prefix}.{field}: {message}");

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            Error("name", "is required");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            Error("issuer", "is required");
        }
        else if (options.Issuer.Trim() != options.Issuer)
        {
            Error("issuer", "must not start or end with white space (it is compared exactly with the token's iss)");
        }

        if (options.Audiences is null || options.Audiences.Count == 0)
        {
            Error("audiences", "at least one audience is required (an identity provider without an audience would accept tokens minted for any service)");
        }
        else if (options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            Error("audiences", "must not contain empty values");
        }

        var sources = new[] { ("discoveryUrl", options.DiscoveryUrl), ("jwksUrl", options.JwksUrl), ("jwks", options.Jwks), ("jwksFile", options.JwksFile) }
            .Where(s => s.Item2 is not null).Select(s => s.Item1).ToList();
        if (sources.Count > 1)
        {
            Error(sources[1], $"set exactly one key source; found {string.Join(", ", sources)}");
        }

        if (options.DiscoveryUrl is not null || sources.Count == 0)
        {
            CheckUrl(options, "discoveryUrl", options.EffectiveDiscoveryUrl, Error);
        }

        CheckUrl(options, "jwksUrl", options.JwksUrl, Error);
        if (options.Jwks is not null && JwksProblem(options.Jwks) is { } problem)
        {
            Error("jwks", problem);
        }

        if (options.JwksFile is not null && !IsUsableJwksFile(options.JwksFile))
        {
            // One message whether the file is missing, unreadable or not a JWKS document: an admin API
            // caller must not learn which paths exist on the server.
            Error("jwksFile", StaticKeySource.Unreadable(options.JwksFile));
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            Error("clockSkew", $"must be between 0 and {MaxClockSkew.TotalSeconds} seconds");
        }

        Positive("maxTokenLifetime", options.MaxTokenLifetime);
        Positive("maxStaleKeyAge", options.MaxStaleKeyAge);
        Positive("keyRefreshInterval", options.KeyRefreshInterval);
        Positive("fetchTimeout", options.FetchTimeout);
        if (options.FetchTimeout > MaxFetchTimeout)
        {
            // A login waits this long for an issuer that does not answer; clients give up well before.
            Error("fetchTimeout", $"must be at most {MaxFetchTimeout.TotalSeconds} seconds");
        }

        if (options.MinKeyRefreshInterval < TimeSpan.Zero)
        {
            Error("minKeyRefreshInterval", "must not be negative");
        }

        if (options.KeyRefreshInterval >= options.MaxStaleKeyAge)
        {
            Error("keyRefreshInterval", "must be shorter than maxStaleKeyAge, or keys would go stale between refreshes");
        }

        if (options.MaxTokenBytes is < 1024 or > 1024 * 1024)
        {
            Error("maxTokenBytes", "must be between 1024 and 1048576");
        }

        return errors;

        void Positive(string field, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                Error(field, "must be positive");
            }
        }
    }

    /// <summary>All problems of a set of providers, including duplicate names and issuers.</summary>
    public static IReadOnlyList<string> ValidateAll(IEnumerable<IdentityProviderOptions> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var list = providers.ToList();
        var errors = list.SelectMany(Validate).ToList();
        errors.AddRange(list.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"identityProviders[{g.Key}].name: is used by {g.Count()} identity providers"));
        errors.AddRange(list.GroupBy(p => p.Issuer, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"identityProviders[{g.First().Name}].issuer: '{g.Key}' is configured {g.Count()} times; an issuer must map to one identity provider"));
        return errors;
    }

    private static void CheckUrl(IdentityProviderOptions options, string field, string? url, Action<string, string> error)
    {
        if (url is null)
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error(field, $"'{url}' is not an absolute http(s) URL" + (field == "discoveryUrl" && options.DiscoveryUrl is null
                ? " (derived from the issuer; set discoveryUrl, jwksUrl, jwks or jwksFile)" : string.Empty));
        }
        else if (KeyFetchAddresses.Refusal(uri, options.AllowInsecureHttp, options.AllowLinkLocalAddresses) is { } refusal)
        {
            error(field, $"'{url}': {refusal}");
        }
    }

    private static bool IsUsableJwksFile(string path)
    {
        if (path.Length == 0 || !File.Exists(path))
        {
            return false;
        }

        try
        {
            return StaticKeySource.File(path).Load().Count > 0;
        }
        catch (KeySourceException)
        {
            return false;
        }
    }

    private static string? JwksProblem(string json)
    {
        try
        {
            var keys = SigningKeys.Parse(json);
            return keys.Count == 0 ? "contains no usable signing key (RSA or EC, use 'sig')" : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            return $"is not a valid JWKS document: {e.Message}";
        }
    }
}
