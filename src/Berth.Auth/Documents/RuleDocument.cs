using System.Text.Json.Serialization;
using Berth.Configuration;

namespace Berth.Auth.Documents;

/// <summary>One claim rule of a stored robot: the claim and exactly one operator.</summary>
/// <param name="EqualTo">Stored as <c>equals</c> (a record cannot have a member named Equals).</param>
internal sealed record RuleDocument(
    string Claim,
    [property: JsonPropertyName("equals")] string? EqualTo,
    string? Glob,
    string? Regex,
    IReadOnlyList<string>? In)
{
    public static RuleDocument Of(RuleSettings rule) => new(rule.Claim, rule.EqualTo, rule.Glob, rule.Regex, rule.In);

    public RuleSettings ToSettings() => new() { Claim = Claim, EqualTo = EqualTo, Glob = Glob, Regex = Regex, In = In is null ? null : [.. In] };
}
