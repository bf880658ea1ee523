using Berth.Access.Refresh;

namespace Berth.Access.Tests.Refresh;

public sealed class RefreshTokensTests
{
    [Fact]
    public void Generate_TwoCalls_AreDistinctPrefixedAndLong()
    {
        var a = RefreshTokens.Generate();
        var b = RefreshTokens.Generate();

        Assert.NotEqual(a, b);
        Assert.StartsWith("berth_rt_", a, StringComparison.Ordinal);
        Assert.Equal("berth_rt_".Length + 43, a.Length);
        Assert.Matches("^berth_rt_[A-Za-z0-9_-]{43}$", a);
    }

    [Fact]
    public void Hash_KnownInput_IsLowerHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RefreshTokens.Hash("abc"));
    }
}
