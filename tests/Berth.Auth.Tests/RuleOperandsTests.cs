using Berth.Auth;
using Berth.Configuration;
using Berth.Federation.Claims;

namespace Berth.Auth.Tests;

/// <summary>A rule shown by the admin API (its settings) reads back as the same rule, for every operator of the table.</summary>
public sealed class RuleOperandsTests
{
    [Fact]
    public void ToSettings_ThenOf_GivesTheSameOperatorAndValues()
    {
        foreach (var row in ClaimOperators.All)
        {
            IReadOnlyList<string> values = row.TakesList ? ["build", "release"] : ["main"];
            var rule = new ClaimRule("ref", row.Operator, values);

            var settings = RuleOperands.ToSettings(rule);
            var operands = RuleOperands.Of(settings);

            var (@operator, read) = Assert.Single(operands);
            Assert.Equal(row.Operator, @operator);
            Assert.Equal(values, read);
            Assert.Equal("ref", settings.Claim);
        }
    }

    [Fact]
    public void Of_TwoOperatorsSet_ReturnsBoth()
    {
        var operands = RuleOperands.Of(new RuleSettings { Claim = "ref", EqualTo = "a", Glob = "b*" });

        Assert.Equal([ClaimOperator.Equal, ClaimOperator.Glob], operands.Select(o => o.Operator));
    }
}
