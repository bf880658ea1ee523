using Berth.Federation.IdentityProviders;
using Berth.Federation.Tests.Support;

namespace Berth.Federation.Tests.IdentityProviders;

public sealed class IdentityProviderOptionsValidatorTests
{
    private static readonly IdentityProviderOptions GitHub = new()
    {
        Name = "github",
        Issuer = SeedClaims.GitHubIssuer,
        Audiences = ["registry.example.com"],
    };

    [Fact]
    public void Validate_IssuerOnly_IsValidWithDerivedDiscoveryUrl()
    {
        Assert.Empty(IdentityProviderOptionsValidator.Validate(GitHub));
        Assert.Equal("https://token.actions.githubusercontent.com/.well-known/openid-configuration", GitHub.EffectiveDiscoveryUrl);
    }

    [Fact]
    public void Validate_NoAudience_NamesAudiences()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { Audiences = [] });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[github].audiences:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TwoKeySources_NamesThem()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { JwksUrl = "https://x/jwks", Jwks = TestKey.Jwks(TestKeys.Kubernetes) });

        Assert.Contains(errors, e => e.Contains("set exactly one key source; found jwksUrl, jwks", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlainHttpWithoutAllowInsecureHttp_NamesTheUrlField()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { JwksUrl = "http://127.0.0.1/jwks" });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[github].jwksUrl:", StringComparison.Ordinal) && e.Contains("allowInsecureHttp", StringComparison.Ordinal));
        Assert.Empty(IdentityProviderOptionsValidator.Validate(GitHub with { JwksUrl = "http://127.0.0.1/jwks", AllowInsecureHttp = true }));
    }

    [Fact]
    public void Validate_NonUrlIssuerWithoutKeySource_AsksForAKeySource()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { Issuer = "spiffe-cluster" });

        Assert.Contains(errors, e => e.Contains("set discoveryUrl, jwksUrl, jwks or jwksFile", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PastedJwksNotJson_NamesJwks()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { Jwks = "{not json" });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[github].jwks:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PastedJwksWithOnlySymmetricKey_HasNoUsableKey()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { Jwks = """{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]}""" });

        Assert.Contains(errors, e => e.Contains("no usable signing key", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MissingJwksFile_NamesJwksFile()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with { JwksFile = "/nonexistent/jwks.json" });

        Assert.Contains(errors, e => e.StartsWith("identityProviders[github].jwksFile:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadLimits_NameEachField()
    {
        var errors = IdentityProviderOptionsValidator.Validate(GitHub with
        {
            ClockSkew = TimeSpan.FromHours(1),
            MaxTokenLifetime = TimeSpan.Zero,
            MaxTokenBytes = 10,
        });

        Assert.Contains(errors, e => e.Contains(".clockSkew:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(".maxTokenLifetime:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(".maxTokenBytes:", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateAll_DuplicateIssuer_IsRefused()
    {
        var errors = IdentityProviderOptionsValidator.ValidateAll([GitHub, GitHub with { Name = "github2" }]);

        Assert.Contains(errors, e => e.Contains("is configured 2 times", StringComparison.Ordinal));
    }
}
