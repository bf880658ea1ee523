using Microsoft.Extensions.Configuration;

namespace Berth.Configuration;

/// <summary>One claim rule: <c>{ claim: path, equals|glob|regex|in: value }</c>, exactly one operator.</summary>
public sealed record RuleSettings
{
    public string Claim { get; init; } = string.Empty;

    /// <summary>The <c>equals</c> key: a record cannot have a member named <c>Equals</c>.</summary>
    [ConfigurationKeyName("equals")]
    public string? EqualTo { get; init; }

    public string? Glob { get; init; }

    public string? Regex { get; init; }

    public List<string>? In { get; init; }
}
