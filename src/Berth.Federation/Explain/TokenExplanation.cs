using System.Text;
using System.Text.Json.Serialization;

namespace Berth.Federation.Explain;

/// <summary>
/// Explain's answer: the registry's verdict on a token (or a claims document) and, per robot and rule,
/// why. <see cref="Outcome"/> is what the token service would do with the same token and robot.
/// </summary>
/// <param name="Outcome"><see cref="Matched"/> or <see cref="Refused"/>.</param>
/// <param name="TokenValid">Whether signature, issuer, audience and lifetime were verified (false for a claims document).</param>
/// <param name="Verdict">One line on the token itself: valid with its issuer and subject, refused with the reason, or a claims document.</param>
/// <param name="Rejection">The reason code the token service answers with when refused (e.g. <c>audience_mismatch</c>, <c>no_robot_matched</c>); null when matched.</param>
/// <param name="Explanation">The robots evaluated; for a refused token none of them is matched.</param>
public sealed record TokenExplanation(string Outcome, bool TokenValid, string Verdict, string? Rejection, Explanation Explanation)
{
    public const string Matched = "matched";
    public const string Refused = "refused";

    [JsonIgnore]
    public bool IsMatched => Outcome == Matched;

    /// <summary>A plain-text rendering for the CLI: the verdict, every robot, then the result.</summary>
    public string ToText() => new StringBuilder()
        .AppendLine(Verdict)
        .Append(Explanation.ToText())
        .AppendLine(IsMatched ? "result: matched" : $"result: refused ({Rejection})")
        .ToString();
}
