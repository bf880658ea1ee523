using Berth.Configuration;
using Berth.Federation.Claims;

namespace Berth.Auth;

/// <summary>
/// Between a rule's settings (one property per operator, named as <see cref="ClaimOperators"/> names them)
/// and a <see cref="ClaimRule"/>: the one place that knows which property holds which operator's value.
/// </summary>
internal static class RuleOperands
{
    /// <summary>Every operator <paramref name="rule"/> sets, with its value(s); a valid rule sets exactly one.</summary>
    public static List<(ClaimOperator Operator, IReadOnlyList<string> Values)> Of(RuleSettings rule)
    {
        var operators = new List<(ClaimOperator Operator, IReadOnlyList<string> Values)>();
        foreach (var row in ClaimOperators.All)
        {
            if (ValueOf(rule, row.Operator) is { } values)
            {
                operators.Add((row.Operator, values));
            }
        }

        return operators;
    }

    /// <summary>The settings that make <paramref name="rule"/> again (what the admin API shows).</summary>
    public static RuleSettings ToSettings(ClaimRule rule) => rule.Operator switch
    {
        ClaimOperator.Equal => new RuleSettings { Claim = rule.Claim, EqualTo = rule.Values[0] },
        ClaimOperator.Glob => new RuleSettings { Claim = rule.Claim, Glob = rule.Values[0] },
        ClaimOperator.Regex => new RuleSettings { Claim = rule.Claim, Regex = rule.Values[0] },
        _ => new RuleSettings { Claim = rule.Claim, In = [.. rule.Values] },
    };

    private static IReadOnlyList<string>? ValueOf(RuleSettings rule, ClaimOperator @operator) => @operator switch
    {
        ClaimOperator.Equal => rule.EqualTo is { } value ? [value] : null,
        ClaimOperator.Glob => rule.Glob is { } value ? [value] : null,
        ClaimOperator.Regex => rule.Regex is { } value ? [value] : null,
        ClaimOperator.In => rule.In,
        _ => null,
    };
}
