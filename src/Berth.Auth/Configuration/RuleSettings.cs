namespace Berth.Configuration;

/// <summary>One claim rule: <c>{ claim: path, equals|glob|regex|in: value }</c>, exactly one operator.</summary>
public sealed class RuleSettings
{
    public string Claim { get; set; } = string.Empty;

    // Named like the YAML key on purpose (the binder's unknown-key check ignores [ConfigurationKeyName]),
    // hiding object.Equals on this settings class only.
    public new string? Equals { get; set; }

    public string? Glob { get; set; }

    public string? Regex { get; set; }

    public List<string>? In { get; set; }
}
