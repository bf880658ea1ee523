using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Federation.Claims;

/// <summary>
/// One condition on a workload token's claims: (claim path, operator, value or values). A missing claim
/// never matches; an array claim matches when any element does; numbers and booleans compare by their
/// JSON text. Construction validates the rule and throws <see cref="ArgumentException"/> with a message
/// naming the problem, so a configuration loader can report it.
/// </summary>
public sealed class ClaimRule
{
    private readonly Regex? _regex;

    public ClaimRule(string claim, ClaimOperator @operator, string value)
        : this(claim, @operator, [value])
    {
    }

    public ClaimRule(string claim, ClaimOperator @operator, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(values);
        Path = new ClaimPath(claim);
        Operator = @operator;
        Values = [.. values];
        if (Values.Any(v => v is null))
        {
            throw new ArgumentException($"rule on '{claim}': values must not be null", nameof(values));
        }

        if (@operator == ClaimOperator.In)
        {
            if (Values.Count == 0)
            {
                throw new ArgumentException($"rule on '{claim}': 'in' needs at least one value", nameof(values));
            }
        }
        else if (Values.Count != 1)
        {
            throw new ArgumentException($"rule on '{claim}': '{OperatorName}' takes exactly one value", nameof(values));
        }

        _regex = @operator switch
        {
            ClaimOperator.Glob => GlobPattern.Compile(Values[0]),
            ClaimOperator.Regex => CompileRegex(claim, Values[0]),
            ClaimOperator.Equal or ClaimOperator.In => null,
            _ => throw new ArgumentOutOfRangeException(nameof(@operator), @operator, $"rule on '{claim}': unknown operator"),
        };
    }

    /// <summary>The claim path as written.</summary>
    public string Claim => Path.Text;

    public ClaimPath Path { get; }

    public ClaimOperator Operator { get; }

    /// <summary>One value for equals/glob/regex; the list for in.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The operator as configured: <c>equals</c>, <c>glob</c>, <c>regex</c> or <c>in</c>.</summary>
    public string OperatorName => ClaimOperators.NameOf(Operator);

    public bool Matches(JsonElement claims) => IsMatch(claims);

    public override string ToString() => Operator == ClaimOperator.In
        ? $"{Claim} in [{string.Join(", ", Values)}]"
        : $"{Claim} {OperatorName} {Values[0]}";

    internal ClaimRuleEvaluation Evaluate(JsonElement claims)
    {
        if (!Path.TryResolve(claims, out var value))
        {
            return new ClaimRuleEvaluation(null, false);
        }

        var matched = ClaimValues.Candidates(value).Any(MatchesValue);
        return new ClaimRuleEvaluation(ClaimValues.Display(value), matched);
    }

    /// <summary>
    /// The verdict of <see cref="Evaluate"/> without the printable value and the candidate list it builds:
    /// the token service asks this on every exchange and never shows the found value.
    /// </summary>
    internal bool IsMatch(JsonElement claims)
    {
        if (!Path.TryResolve(claims, out var value))
        {
            return false;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ClaimValues.Scalar(value) is { } single && MatchesValue(single);
        }

        foreach (var element in value.EnumerateArray())
        {
            if (ClaimValues.Scalar(element) is { } text && MatchesValue(text))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesValue(string candidate) => Operator switch
    {
        ClaimOperator.Equal => string.Equals(candidate, Values[0], StringComparison.Ordinal),
        ClaimOperator.In => Values.Contains(candidate, StringComparer.Ordinal),
        _ => ClaimRegex.IsFullMatch(_regex!, candidate),
    };

    private static Regex CompileRegex(string claim, string pattern)
    {
        try
        {
            // Parsed on its own first: a pattern such as "acme/app)|(.*" is not a regex by itself, but
            // wrapped as \A(?:acme/app)|(.*)\z it would parse, and its second half would match anything.
            ClaimRegex.Create(pattern);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"rule on '{claim}': invalid regex '{pattern}': it must be a complete regular expression on its own (Berth anchors it as \\A(?:pattern)\\z): {e.Message}", nameof(pattern), e);
        }

        try
        {
            return ClaimRegex.CreateAnchored(pattern);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"rule on '{claim}': invalid regex '{pattern}': {e.Message}", nameof(pattern), e);
        }
    }
}
