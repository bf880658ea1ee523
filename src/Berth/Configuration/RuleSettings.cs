using Microsoft.Extensions.Configuration;

namespace Berth.Configuration;

/// <summary>One claim rule: <c>{ claim: path, equals|glob|regex|in: value }</c>, exactly one operator.</summary>
public sealed class RuleSettings
{
    public string Claim { get; set; } = string.Empty;

    // "Equals" would hide object.Equals; the YAML key stays "equals".
    [ConfigurationKeyName("equals")]
    public string? EqualTo { get; set; }

    public string? Glob { get; set; }

    public string? Regex { get; set; }

    public List<string>? In { get; set; }
}
