using Berth.Registry.Content;

namespace Berth.Registry.Tests.Content;

public sealed class NamesTests
{
    [Theory]
    [InlineData("alpine")]
    [InlineData("library/alpine")]
    [InlineData("a/b/c/d")]
    [InlineData("my-app")]
    [InlineData("my--app")]
    [InlineData("my_app")]
    [InlineData("my__app")]
    [InlineData("my.app")]
    [InlineData("0")]
    [InlineData("team1/app.v2_x--y")]
    public void IsValidRepository_SpecGrammar_True(string name)
    {
        Assert.True(Names.IsValidRepository(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Alpine")]
    [InlineData("library/Alpine")]
    [InlineData("a..b")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("trailing/")]
    [InlineData("/leading")]
    [InlineData("a//b")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a_")]
    [InlineData("a___b")]
    [InlineData("a._b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a\nb")]
    [InlineData("alpine\n")]
    public void IsValidRepository_OutsideGrammar_False(string? name)
    {
        Assert.False(Names.IsValidRepository(name));
    }

    [Fact]
    public void IsValidRepository_LongerThan255_False()
    {
        Assert.True(Names.IsValidRepository(new string('a', 255)));
        Assert.False(Names.IsValidRepository(new string('a', 256)));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_private")]
    [InlineData("UPPER-lower_1.2")]
    [InlineData("sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void IsValidTag_SpecGrammar_True(string tag)
    {
        Assert.True(Names.IsValidTag(tag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("latest\n")]
    public void IsValidTag_OutsideGrammar_False(string? tag)
    {
        Assert.False(Names.IsValidTag(tag));
    }

    [Fact]
    public void IsValidTag_Length_AtMost128()
    {
        Assert.True(Names.IsValidTag(new string('a', 128)));
        Assert.False(Names.IsValidTag(new string('a', 129)));
    }
}
