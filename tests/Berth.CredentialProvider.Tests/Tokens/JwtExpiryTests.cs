using Berth.CredentialProvider.Tokens;

namespace Berth.CredentialProvider.Tests.Tokens;

public sealed class JwtExpiryTests
{
    [Fact]
    public void TryRead_KubernetesToken_ReturnsExp()
    {
        var exp = new DateTimeOffset(2026, 11, 1, 13, 0, 0, TimeSpan.Zero);
        Assert.True(JwtExpiry.TryRead(TestTokens.WithExp(exp), out var read, out var error), error);
        Assert.Equal(exp, read);
    }

    [Fact]
    public void TryRead_FractionalExp_TruncatesToSeconds()
    {
        var token = TestTokens.Jwt(TestTokens.Header, """{"exp":1793538000.9}""");
        Assert.True(JwtExpiry.TryRead(token, out var read, out _));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1793538000), read);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData(".eyJleHAiOjF9.sig")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9..sig")]
    [InlineData("!!!.eyJleHAiOjF9.sig")]
    public void TryRead_NotThreeBase64UrlParts_FailsAsNotJwt(string token)
    {
        Assert.False(JwtExpiry.TryRead(token, out _, out var error));
        Assert.Contains("not a JWT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_HeaderWithoutAlg_FailsAsNotJwt()
    {
        Assert.False(JwtExpiry.TryRead(TestTokens.Jwt("""{"typ":"JWT"}""", """{"exp":1}"""), out _, out var error));
        Assert.Contains("not a JWT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_PayloadNotJson_FailsAsNotJwt()
    {
        Assert.False(JwtExpiry.TryRead(TestTokens.Jwt(TestTokens.Header, "hello"), out _, out var error));
        Assert.Contains("not a JWT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_PayloadArray_FailsAsNotJwt()
    {
        Assert.False(JwtExpiry.TryRead(TestTokens.Jwt(TestTokens.Header, "[1]"), out _, out var error));
        Assert.Contains("not a JWT", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"sub":"x"}""")]
    [InlineData("""{"exp":"1793538000"}""")]
    [InlineData("""{"exp":-1}""")]
    [InlineData("""{"exp":1e300}""")]
    public void TryRead_NoUsableExp_FailsWithExpMessage(string payload)
    {
        Assert.False(JwtExpiry.TryRead(TestTokens.Jwt(TestTokens.Header, payload), out _, out var error));
        Assert.Contains("exp", error, StringComparison.Ordinal);
    }
}
