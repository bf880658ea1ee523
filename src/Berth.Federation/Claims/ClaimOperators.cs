namespace Berth.Federation.Claims;

/// <summary>
/// The rule operators, one row each: the name a rule carries in the configuration file, the admin API,
/// stored documents, explanations and the CLI (<c>{ claim: …, equals|glob|regex|in: … }</c>). Every
/// place that spells an operator reads it here, so a new operator is one row plus its matcher.
/// </summary>
public static class ClaimOperators
{
    /// <param name="TakesList">True when the rule's value is a list (<c>in</c>), else one string.</param>
    public sealed record Row(ClaimOperator Operator, string Name, bool TakesList);

    public static readonly Row EqualsRow = new(ClaimOperator.Equal, "equals", TakesList: false);

    public static readonly Row GlobRow = new(ClaimOperator.Glob, "glob", TakesList: false);

    public static readonly Row RegexRow = new(ClaimOperator.Regex, "regex", TakesList: false);

    public static readonly Row InRow = new(ClaimOperator.In, "in", TakesList: true);

    /// <summary>Every operator, in the order messages list them.</summary>
    public static readonly IReadOnlyList<Row> All = [EqualsRow, GlobRow, RegexRow, InRow];

    /// <summary><c>equals, glob, regex, in</c>: for messages that ask for exactly one of them.</summary>
    public static string Names => string.Join(", ", All.Select(row => row.Name));

    public static string NameOf(ClaimOperator @operator) =>
        All.FirstOrDefault(row => row.Operator == @operator)?.Name ?? @operator.ToString();

    /// <summary>Parses an operator name as it appears in configuration and JSON.</summary>
    public static bool TryParse(string name, out ClaimOperator @operator)
    {
        var row = All.FirstOrDefault(row => row.Name == name);
        @operator = row?.Operator ?? default;
        return row is not null;
    }
}
