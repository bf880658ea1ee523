using Berth.Access.Refresh;

namespace Berth.Access.Tests.Refresh;

public sealed class SecretHasherTests
{
    [Fact]
    public void Generate_Secret_HasPrefixAnd256Bits()
    {
        Assert.Matches("^berth_rs_[A-Za-z0-9_-]{43}$", SecretHasher.Generate());
    }

    [Fact]
    public void Hash_KnownInput_UsesConfigFormat()
    {
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHasher.Hash("abc"));
    }

    [Fact]
    public void Verify_RightSecret_ReturnsTrue()
    {
        var secret = SecretHasher.Generate();

        Assert.True(SecretHasher.Verify(secret, SecretHasher.Hash(secret)));
    }

    [Fact]
    public void Verify_UpperCaseHexHash_ReturnsTrue()
    {
        Assert.True(SecretHasher.Verify("abc", "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    }

    [Fact]
    public void Verify_WrongSecret_ReturnsFalse()
    {
        Assert.False(SecretHasher.Verify("wrong", SecretHasher.Hash(SecretHasher.Generate())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:")]
    [InlineData("sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015")]
    public void Verify_MalformedHash_ReturnsFalse(string hash)
    {
        Assert.False(SecretHasher.Verify("abc", hash));
        Assert.False(SecretHasher.IsValidHash(hash));
    }
}
