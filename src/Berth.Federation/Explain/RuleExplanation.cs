namespace Berth.Federation.Explain;

/// <summary>One rule as applied to a claims document.</summary>
/// <param name="Claim">The claim path, e.g. <c>kubernetes.io.namespace</c>.</param>
/// <param name="Operator"><c>equals</c>, <c>glob</c>, <c>regex</c> or <c>in</c>.</param>
/// <param name="Expected">The rule's value (one) or values (in).</param>
/// <param name="Found">The claim's value as text (arrays and numbers as JSON); null when the claim is missing.</param>
/// <param name="Matched">The verdict.</param>
public sealed record RuleExplanation(string Claim, string Operator, IReadOnlyList<string> Expected, string? Found, bool Matched)
{
    public bool Missing => Found is null;
}
