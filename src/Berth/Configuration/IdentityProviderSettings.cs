namespace Berth.Configuration;

/// <summary>One trusted issuer of workload tokens (<c>identityProviders:</c>). Exactly one key source.</summary>
public sealed class IdentityProviderSettings
{
    public string Name { get; set; } = string.Empty;

    public string Issuer { get; set; } = string.Empty;

    public List<string> Audiences { get; set; } = [];

    /// <summary>OIDC discovery document; the default key source (<c>issuer/.well-known/openid-configuration</c>).</summary>
    public string? DiscoveryUrl { get; set; }

    public string? JwksUrl { get; set; }

    /// <summary>A pasted JWKS document: YAML mapping or JSON text.</summary>
    public string? Jwks { get; set; }

    /// <summary>A file holding the JWKS. Relative as <see cref="StorageSettings.DataDir"/>.</summary>
    public string? JwksFile { get; set; }

    /// <summary>Plain-HTTP key fetches; only for loopback tests.</summary>
    public bool AllowInsecureHttp { get; set; }

    public TimeSpan? ClockSkew { get; set; }

    public TimeSpan? MaxTokenLifetime { get; set; }

    /// <summary>How long cached keys keep working while the issuer is unreachable.</summary>
    public TimeSpan? MaxStaleKeyAge { get; set; }

    /// <summary>A copy whose key source is the pasted <paramref name="jwks"/> (keys sent by key sync); this one is unchanged.</summary>
    public IdentityProviderSettings WithStaticJwks(string jwks)
    {
        var copy = (IdentityProviderSettings)MemberwiseClone();
        copy.Jwks = jwks;
        copy.JwksFile = null;
        return copy;
    }
}
