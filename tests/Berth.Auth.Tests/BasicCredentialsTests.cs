using System.Text;

namespace Berth.Auth.Tests;

public sealed class BasicCredentialsTests
{
    [Fact]
    public void TryParse_PasswordWithColons_SplitsAtTheFirstColon()
    {
        Assert.True(BasicCredentials.TryParse(Basic("not-relevant:eyJ.a:b.c"), out var username, out var password));

        Assert.Equal("not-relevant", username);
        Assert.Equal("eyJ.a:b.c", password);
    }

    [Fact]
    public void TryParse_NonAsciiAndEmptyParts_DecodeAsUtf8()
    {
        Assert.True(BasicCredentials.TryParse(Basic("jürgen:"), out var username, out var password));

        Assert.Equal("jürgen", username);
        Assert.Equal(string.Empty, password);
    }

    [Fact]
    public void TryParse_LowercaseSchemeAndSurroundingOrInnerWhitespace_IsAccepted()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("jwt:token"));

        Assert.True(BasicCredentials.TryParse("basic  " + encoded.Insert(4, " ") + " ", out var username, out var password));

        Assert.Equal("jwt", username);
        Assert.Equal("token", password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Basic not base64!")]
    [InlineData("Basic abc")]
    [InlineData("Basic ")]
    public void TryParse_NotBasicOrNotBase64_Fails(string? header)
    {
        Assert.False(BasicCredentials.TryParse(header, out _, out _));
    }

    [Fact]
    public void TryParse_NoColon_Fails()
    {
        Assert.False(BasicCredentials.TryParse(Basic("just-a-secret"), out _, out _));
    }

    [Fact]
    public void TryParse_LargeToken_RoundTrips()
    {
        var jwt = new string('x', 40_000);

        Assert.True(BasicCredentials.TryParse(Basic("u:" + jwt), out _, out var password));

        Assert.Equal(jwt, password);
    }

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
}
