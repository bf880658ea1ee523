namespace Berth.Federation.Claims;

/// <summary>What a rule saw: the claim's printable value (null when missing) and the verdict.</summary>
internal sealed record ClaimRuleEvaluation(string? Found, bool Matched);
