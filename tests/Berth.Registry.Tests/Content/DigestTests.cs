using System.Text;
using Berth.Registry.Content;

namespace Berth.Registry.Tests.Content;

public sealed class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string EmptySha512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    [Theory]
    [InlineData(EmptySha256)]
    [InlineData(EmptySha512)]
    public void TryParse_RegisteredAlgorithm_RoundTrips(string value)
    {
        Assert.True(Digest.TryParse(value, out var digest));

        Assert.Equal(value, digest.ToString());
        Assert.Equal(value[..value.IndexOf(':', StringComparison.Ordinal)], digest.Algorithm);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData(":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ")]
    [InlineData("latest")]
    public void TryParse_Invalid_ReturnsFalse(string? value)
    {
        Assert.False(Digest.TryParse(value, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Digest.Parse("sha256:nope"));
    }

    [Theory]
    [InlineData(Digest.Sha256, EmptySha256)]
    [InlineData(Digest.Sha512, EmptySha512)]
    public void Compute_EmptyContent_IsTheWellKnownDigest(string algorithm, string expected)
    {
        Assert.Equal(expected, Digest.Compute([], algorithm).ToString());
    }

    [Fact]
    public void Compute_EmptyJsonObject_IsTheOciEmptyDescriptorDigest()
    {
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", Digest.Compute("{}"u8).ToString());
    }

    [Fact]
    public void Compute_UnsupportedAlgorithm_Throws()
    {
        Assert.Throws<ArgumentException>(() => Digest.Compute([], "md5"));
    }

    [Theory]
    [InlineData(Digest.Sha256)]
    [InlineData(Digest.Sha512)]
    public void CreateHasher_FedInPieces_EqualsCompute(string algorithm)
    {
        var content = Encoding.UTF8.GetBytes("hello, registry");
        using var hasher = Digest.CreateHasher(algorithm);
        hasher.AppendData(content.AsSpan(0, 5));
        hasher.AppendData(content.AsSpan(5));

        var digest = Digest.FromHash(algorithm, hasher.GetHashAndReset());

        Assert.Equal(Digest.Compute(content, algorithm), digest);
    }

    [Fact]
    public void Equality_SameText_IsEqual()
    {
        Assert.Equal(Digest.Parse(EmptySha256), Digest.Compute([]));
        Assert.NotEqual(Digest.Parse(EmptySha256), Digest.Compute([], Digest.Sha512));
    }
}
