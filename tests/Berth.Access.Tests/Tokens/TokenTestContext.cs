using System.Text;
using Berth.Access.Scopes;
using Berth.Access.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tests.Tokens;

/// <summary>A registry key, options, a fake clock and an issuer/verifier pair over them, plus token forgery helpers.</summary>
internal sealed class TokenTestContext : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);

    public TokenTestContext()
    {
        Issuer = new RegistryTokenIssuer(Key, Options, Time);
        Verifier = new RegistryTokenVerifier([Key], Options, Time);
    }

    public RegistrySigningKey Key { get; } = RegistrySigningKey.Generate();

    public FakeTimeProvider Time { get; } = new(Start);

    public RegistryTokenOptions Options { get; } = new()
    {
        Issuer = "https://registry.example.com",
        Audience = "registry.example.com",
        Lifetime = TimeSpan.FromMinutes(5),
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public RegistryTokenIssuer Issuer { get; }

    public RegistryTokenVerifier Verifier { get; }

    public static IReadOnlyList<ResourceScope> PushApp { get; } = [new("repository", "library/app/web", ["pull", "push"])];

    public IssuedRegistryToken Issue(DateTimeOffset? notAfter = null)
    {
        Assert.True(Issuer.TryIssue("repo:acme/app:ref:refs/heads/main", PushApp, notAfter, out var token));
        return token;
    }

    /// <summary>Signs arbitrary header/claims with <paramref name="key"/> (the registry key by default).</summary>
    public string Forge(
        string? typ = "at+jwt",
        string? issuer = null,
        string? audience = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.EcdsaSha256,
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        object? access = null)
    {
        var iat = issuedAt ?? Time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = typ,
            Issuer = issuer ?? Options.Issuer,
            Audience = audience ?? Options.Audience,
            IssuedAt = iat.UtcDateTime,
            NotBefore = iat.UtcDateTime,
            Expires = (iat + (lifetime ?? TimeSpan.FromMinutes(5))).UtcDateTime,
            SigningCredentials = new SigningCredentials(key ?? Key.SecurityKey, algorithm),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "someone",
                ["access"] = access ?? new[] { new Dictionary<string, object> { ["type"] = "repository", ["name"] = "library/app", ["actions"] = new[] { "pull" } } },
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static string Segment(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public void Dispose() => Key.Dispose();
}
