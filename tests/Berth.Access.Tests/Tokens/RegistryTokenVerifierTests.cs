using System.Security.Cryptography;
using System.Text;
using Berth.Access.Scopes;
using Berth.Access.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Access.Tests.Tokens;

public sealed class RegistryTokenVerifierTests : IDisposable
{
    private readonly TokenTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task VerifyAsync_IssuedToken_ReturnsItsAccess()
    {
        var issued = _context.Issue();

        var result = await _context.Verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(TokenTestContext.PushApp, result.Access);
        Assert.Equal("repo:acme/app:ref:refs/heads/main", result.Subject);
        Assert.Equal(issued.TokenId, result.TokenId);
        Assert.Equal(issued.ExpiresAt, result.ExpiresAt);
    }

    [Fact]
    public async Task VerifyAsync_CatalogAccess_RoundTrips()
    {
        ResourceScope[] access = [new("registry", "catalog", ["*"]), new("repository", "a/b", ["pull"])];
        Assert.True(_context.Issuer.TryIssue("robot", access, null, out var issued));

        var result = await _context.Verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.Equal(access, result.Access);
    }

    [Fact]
    public async Task VerifyAsync_WithinClockSkewAfterExpiry_IsValid()
    {
        var issued = _context.Issue();
        _context.Time.Advance(TimeSpan.FromSeconds(300 + 29));

        var result = await _context.Verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_Expired_IsRefused()
    {
        var issued = _context.Issue();
        _context.Time.Advance(TimeSpan.FromSeconds(300 + 31));

        var result = await _context.Verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TokenExpired, result.FailureReason);
        Assert.Empty(result.Access);
    }

    [Fact]
    public async Task VerifyAsync_CappedByWorkloadToken_ExpiresWithIt()
    {
        var issued = _context.Issue(TokenTestContext.Start.AddSeconds(45));
        _context.Time.Advance(TimeSpan.FromSeconds(45 + 31));

        var result = await _context.Verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TokenExpired, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_NotYetValid_IsRefused()
    {
        var token = _context.Forge(issuedAt: TokenTestContext.Start.AddMinutes(10));

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TokenNotYetValid, result.FailureReason);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("application/at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData(null)]
    public async Task VerifyAsync_OtherType_IsRefused(string? typ)
    {
        var token = _context.Forge(typ: typ);

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TypeNotAllowed, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_OtherIssuer_IsRefused()
    {
        var token = _context.Forge(issuer: "https://token.actions.githubusercontent.com");

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.UnknownIssuer, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_OtherAudience_IsRefused()
    {
        var token = _context.Forge(audience: "other-registry.example.com");

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.AudienceMismatch, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_WorkloadOidcToken_IsRefused()
    {
        // What a CI job holds: typ JWT, its platform's issuer and key, the registry as audience.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var platformKey = new ECDsaSecurityKey(ecdsa) { KeyId = "platform-key" };
        var token = _context.Forge(typ: "JWT", issuer: "https://token.actions.githubusercontent.com", key: platformKey);

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Empty(result.Access);
    }

    [Fact]
    public async Task VerifyAsync_OtherKeyWithRegistryClaims_IsRefusedAsUnknownKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = _context.Forge(key: new ECDsaSecurityKey(ecdsa) { KeyId = "attacker" });

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.UnknownKey, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_OtherKeyClaimingRegistryKid_IsRefusedAsSignatureInvalid()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = _context.Forge(key: new ECDsaSecurityKey(ecdsa) { KeyId = _context.Key.KeyId });

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.SignatureInvalid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_NoKid_IsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ecdsa.ImportParameters(_context.Key.SecurityKey.ECDsa.ExportParameters(includePrivateParameters: true));
        var token = _context.Forge(key: new ECDsaSecurityKey(ecdsa));

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.UnknownKey, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_TamperedPayload_IsRefused()
    {
        var parts = _context.Issue().Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"pull\",\"push\"", "\"pull\",\"push\",\"delete\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{TokenTestContext.Segment(payload)}.{parts[2]}";

        var result = await _context.Verifier.VerifyAsync(tampered, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.SignatureInvalid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_StrippedSignature_IsRefused()
    {
        var parts = _context.Issue().Token.Split('.');

        var result = await _context.Verifier.VerifyAsync($"{parts[0]}.{parts[1]}.", CancellationToken.None);

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task VerifyAsync_AlgNone_IsRefused()
    {
        var parts = _context.Issue().Token.Split('.');
        var header = TokenTestContext.Segment($$"""{"alg":"none","typ":"at+jwt","kid":"{{_context.Key.KeyId}}"}""");

        var result = await _context.Verifier.VerifyAsync($"{header}.{parts[1]}.", CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.AlgorithmNotAllowed, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_HmacSignedWithPublicKey_IsRefused()
    {
        var hmacKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(RegistryJwks.ToJson([_context.Key]))) { KeyId = _context.Key.KeyId };
        var token = _context.Forge(key: hmacKey, algorithm: SecurityAlgorithms.HmacSha256);

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.AlgorithmNotAllowed, result.FailureReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30")]
    [InlineData("a.b.c.d.e")]
    public async Task VerifyAsync_Garbage_IsMalformed(string token)
    {
        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.MalformedToken, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_Oversize_IsRefused()
    {
        var result = await _context.Verifier.VerifyAsync(new string('a', RegistryTokenVerifier.MaxTokenLength + 1), CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TokenTooLarge, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_IllFormedAccessClaim_IsMalformed()
    {
        var token = _context.Forge(access: "repository:library/app:pull");

        var result = await _context.Verifier.VerifyAsync(token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.MalformedToken, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_PreviousKeyAfterRotation_IsStillAccepted()
    {
        using var next = RegistrySigningKey.Generate();
        var oldToken = _context.Issue().Token;
        var newIssuer = new RegistryTokenIssuer(next, _context.Options, _context.Time);
        Assert.True(newIssuer.TryIssue("robot", TokenTestContext.PushApp, null, out var newToken));
        var verifier = new RegistryTokenVerifier([next, _context.Key], _context.Options, _context.Time);

        Assert.True((await verifier.VerifyAsync(oldToken, CancellationToken.None)).IsValid);
        Assert.True((await verifier.VerifyAsync(newToken.Token, CancellationToken.None)).IsValid);
        Assert.Equal(
            RegistryTokenFailure.UnknownKey,
            (await _context.Verifier.VerifyAsync(newToken.Token, CancellationToken.None)).FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_VerifierClockBehindIssuer_UsesItsOwnTime()
    {
        var issued = _context.Issue();
        var laterClock = new FakeTimeProvider(TokenTestContext.Start.AddHours(1));
        var verifier = new RegistryTokenVerifier([_context.Key], _context.Options, laterClock);

        var result = await verifier.VerifyAsync(issued.Token, CancellationToken.None);

        Assert.Equal(RegistryTokenFailure.TokenExpired, result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_ManyConcurrentRoundTrips_AllValid()
    {
        // Issuer and verifier are process-wide singletons in the host.
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
            _context.Verifier.VerifyAsync(_context.Issue().Token, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.IsValid, r.FailureReason));
    }
}
