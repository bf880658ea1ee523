namespace Berth.Configuration;

/// <summary>One trusted issuer of workload tokens (<c>identityProviders:</c>). Exactly one key source.</summary>
public sealed record IdentityProviderSettings
{
    public string Name { get; init; } = string.Empty;

    public string Issuer { get; init; } = string.Empty;

    public List<string> Audiences { get; init; } = [];

    /// <summary>OIDC discovery document; the default key source (<c>issuer/.well-known/openid-configuration</c>).</summary>
    public string? DiscoveryUrl { get; init; }

    public string? JwksUrl { get; init; }

    /// <summary>A pasted JWKS document: YAML mapping or JSON text.</summary>
    public string? Jwks { get; init; }

    /// <summary>A file holding the JWKS. Relative as <see cref="StorageSettings.DataDir"/>.</summary>
    public string? JwksFile { get; init; }

    /// <summary>Plain-HTTP key fetches from loopback hosts; only for tests.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Key fetches from link-local and cloud metadata addresses (refused by default).</summary>
    public bool AllowLinkLocalAddresses { get; init; }

    public TimeSpan? ClockSkew { get; init; }

    public TimeSpan? MaxTokenLifetime { get; init; }

    /// <summary>How long cached keys keep working while the issuer is unreachable.</summary>
    public TimeSpan? MaxStaleKeyAge { get; init; }

    /// <summary>Bound on one key fetch (discovery plus JWKS): how long a login waits for an issuer that does not answer.</summary>
    public TimeSpan? FetchTimeout { get; init; }
}
