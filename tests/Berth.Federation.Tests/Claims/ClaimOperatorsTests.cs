using Berth.Federation.Claims;

namespace Berth.Federation.Tests.Claims;

/// <summary>One table of rule operators: every operator has exactly one row, and its name parses back to it.</summary>
public sealed class ClaimOperatorsTests
{
    [Fact]
    public void All_EveryOperator_HasOneRow()
    {
        Assert.Equal(
            Enum.GetValues<ClaimOperator>().Order(),
            ClaimOperators.All.Select(row => row.Operator).Order());
    }

    [Fact]
    public void TryParse_EveryRowName_GivesItsOperator()
    {
        foreach (var row in ClaimOperators.All)
        {
            Assert.True(ClaimOperators.TryParse(row.Name, out var parsed));
            Assert.Equal(row.Operator, parsed);
            Assert.Equal(row.Name, ClaimOperators.NameOf(parsed));
        }
    }

    [Theory]
    [InlineData("Equals")]
    [InlineData("equal")]
    [InlineData("matches")]
    [InlineData("")]
    public void TryParse_UnknownName_IsRefused(string name)
    {
        Assert.False(ClaimOperators.TryParse(name, out _));
    }

    [Fact]
    public void Names_ListsTheOperatorsInConfigurationOrder()
    {
        Assert.Equal("equals, glob, regex, in", ClaimOperators.Names);
    }
}
