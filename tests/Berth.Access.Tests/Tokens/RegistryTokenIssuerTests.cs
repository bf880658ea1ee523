using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Access.Scopes;
using Berth.Access.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Berth.Access.Tests.Tokens;

public sealed class RegistryTokenIssuerTests : IDisposable
{
    private readonly TokenTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void TryIssue_Token_HasAtJwtTypeEs256AndThumbprintKid()
    {
        var token = new JsonWebToken(_context.Issue().Token);

        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal(_context.Key.KeyId, token.Kid);
    }

    [Fact]
    public void TryIssue_Token_CarriesDistributionClaims()
    {
        var issued = _context.Issue();

        using var payload = Payload(issued.Token);
        var root = payload.RootElement;
        Assert.Equal("https://registry.example.com", root.GetProperty("iss").GetString());
        Assert.Equal("repo:acme/app:ref:refs/heads/main", root.GetProperty("sub").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("aud").ValueKind);
        Assert.Equal("registry.example.com", root.GetProperty("aud").GetString());
        var start = TokenTestContext.Start.ToUnixTimeSeconds();
        Assert.Equal(start, root.GetProperty("iat").GetInt64());
        Assert.Equal(start, root.GetProperty("nbf").GetInt64());
        Assert.Equal(start + 300, root.GetProperty("exp").GetInt64());
        Assert.Equal(issued.TokenId, root.GetProperty("jti").GetString());
        Assert.Equal(
            """[{"type":"repository","name":"library/app/web","actions":["pull","push"]}]""",
            root.GetProperty("access").GetRawText());
    }

    [Fact]
    public void TryIssue_Token_HeaderIsExactlyAlgKidTyp()
    {
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(_context.Issue().Token.Split('.')[0]);

        Assert.Equal($$"""{"alg":"ES256","kid":"{{_context.Key.KeyId}}","typ":"at+jwt"}""", header);
    }

    [Fact]
    public void TryIssue_Token_SignatureIsEs256OverTheSigningInput()
    {
        var parts = _context.Issue().Token.Split('.');
        using var publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(_context.Key.PublicJwk.X),
                Y = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(_context.Key.PublicJwk.Y),
            },
        });

        var signature = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[2]);

        Assert.Equal(64, signature.Length);
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void TryIssue_Token_CarriesRobots()
    {
        Assert.True(_context.Issuer.TryIssue("robot", ["ci-push", "ci-pull"], TokenTestContext.PushApp, null, out var issued));

        using var payload = Payload(issued.Token);
        Assert.Equal("""["ci-push","ci-pull"]""", payload.RootElement.GetProperty("robots").GetRawText());
    }

    [Fact]
    public void TryIssue_NoAccess_CarriesEmptyAccessArray()
    {
        Assert.True(_context.Issuer.TryIssue("robot", [], null, out var issued));

        using var payload = Payload(issued.Token);
        Assert.Equal("[]", payload.RootElement.GetProperty("access").GetRawText());
    }

    [Fact]
    public void TryIssue_TwoTokens_HaveDistinctJti()
    {
        Assert.NotEqual(_context.Issue().TokenId, _context.Issue().TokenId);
    }

    [Fact]
    public void TryIssue_NoNotAfter_UsesConfiguredLifetime()
    {
        var issued = _context.Issue();

        Assert.Equal(300, issued.ExpiresIn);
        Assert.Equal(TokenTestContext.Start, issued.IssuedAt);
        Assert.Equal(TokenTestContext.Start.AddMinutes(5), issued.ExpiresAt);
    }

    [Fact]
    public void TryIssue_NotAfterBeyondLifetime_UsesConfiguredLifetime()
    {
        Assert.Equal(300, _context.Issue(TokenTestContext.Start.AddHours(1)).ExpiresIn);
    }

    [Fact]
    public void TryIssue_NotAfterSooner_IsCappedByIt()
    {
        var issued = _context.Issue(TokenTestContext.Start.AddSeconds(90));

        Assert.Equal(90, issued.ExpiresIn);
        using var payload = Payload(issued.Token);
        Assert.Equal(TokenTestContext.Start.AddSeconds(90).ToUnixTimeSeconds(), payload.RootElement.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void TryIssue_LessThanSixtySecondsLeft_IssuesOnlyWhatRemains()
    {
        var notAfter = TokenTestContext.Start.AddSeconds(20.7);

        var issued = _context.Issue(notAfter);

        Assert.Equal(20, issued.ExpiresIn);
        Assert.True(issued.ExpiresAt <= notAfter);
    }

    [Fact]
    public void TryIssue_SubSecondClock_NeverOutlivesNotAfter()
    {
        _context.Time.Advance(TimeSpan.FromMilliseconds(900));
        var notAfter = TokenTestContext.Start.AddSeconds(61.5);

        var issued = _context.Issue(notAfter);

        Assert.True(issued.ExpiresAt <= notAfter);
        Assert.Equal(61, issued.ExpiresIn);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(-30)]
    public void TryIssue_WorkloadTokenExpiredOrAboutTo_Refuses(double secondsLeft)
    {
        Assert.False(_context.Issuer.TryIssue("robot", TokenTestContext.PushApp, TokenTestContext.Start.AddSeconds(secondsLeft), out var issued));
        Assert.Null(issued);
    }

    [Fact]
    public void TryIssue_LaterClock_UsesTheInjectedTime()
    {
        _context.Time.Advance(TimeSpan.FromHours(2));

        var issued = _context.Issue();

        Assert.Equal(TokenTestContext.Start.AddHours(2), issued.IssuedAt);
    }

    [Fact]
    public void Constructor_LifetimeUnderOneSecond_Throws()
    {
        var options = _context.Options with { Lifetime = TimeSpan.Zero };

        Assert.Throws<ArgumentException>(() => new RegistryTokenIssuer(_context.Key, options, _context.Time));
    }

    private static JsonDocument Payload(string token) =>
        JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(new JsonWebToken(token).EncodedPayload));
}
