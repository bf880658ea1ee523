namespace Berth.Federation.IdentityProviders;

/// <summary>
/// A trusted issuer of workload tokens (GitHub Actions, GitLab, a Kubernetes cluster…). Exactly one key
/// source may be set: <see cref="DiscoveryUrl"/>, <see cref="JwksUrl"/>, <see cref="Jwks"/> or
/// <see cref="JwksFile"/>; when none is, discovery at <c>&lt;issuer&gt;/.well-known/openid-configuration</c>
/// is used. Checked by <see cref="IdentityProviderOptionsValidator"/>.
/// </summary>
public sealed record IdentityProviderOptions
{
    /// <summary>Name robots refer to, e.g. <c>github</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Compared exactly (ordinal) with the token's <c>iss</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>Accepted audiences; required and non-empty. A token must carry at least one of them.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>OIDC discovery document; its <c>issuer</c> must equal <see cref="Issuer"/>.</summary>
    public string? DiscoveryUrl { get; init; }

    /// <summary>A JWKS document fetched directly.</summary>
    public string? JwksUrl { get; init; }

    /// <summary>A pasted JWKS JSON document, e.g. the output of <c>kubectl get --raw /openid/v1/jwks</c>.</summary>
    public string? Jwks { get; init; }

    /// <summary>A file holding a JWKS JSON document; re-read on refresh.</summary>
    public string? JwksFile { get; init; }

    /// <summary>Allows plain <c>http://</c> for key fetches from loopback hosts (tests); other hosts always need https.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>
    /// Allows key fetches from link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10,
    /// fd00:ec2::254), refused by default so a URL cannot turn Berth against its own metadata service.
    /// </summary>
    public bool AllowLinkLocalAddresses { get; init; }

    /// <summary>Leeway for <c>exp</c>, <c>nbf</c> and <c>iat</c>; default 60 s, at most 5 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest accepted token lifetime (<c>exp - iat</c>, or <c>exp - now</c> without <c>iat</c>); default 24 h.</summary>
    public TimeSpan MaxTokenLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>While the issuer is unreachable, cached keys keep working up to this age; default 24 h.</summary>
    public TimeSpan MaxStaleKeyAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Largest accepted token, in bytes; default 16 KiB.</summary>
    public int MaxTokenBytes { get; init; } = 16 * 1024;

    /// <summary>How often keys are refetched in the normal course; default 1 h.</summary>
    public TimeSpan KeyRefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Least time between two fetches (an unknown <c>kid</c> forces one at most this often); default 30 s.</summary>
    public TimeSpan MinKeyRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on one HTTP fetch (discovery plus JWKS); default 10 s.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The discovery URL in effect: the configured one, or the issuer's well-known address when no key source is set.</summary>
    public string? EffectiveDiscoveryUrl =>
        DiscoveryUrl ?? (JwksUrl is null && Jwks is null && JwksFile is null
            ? Issuer.TrimEnd('/') + "/.well-known/openid-configuration"
            : null);
}
