using Berth.Access.Permissions;
using Berth.Federation.Explain;

namespace Berth.Federation.Robots;

/// <summary>
/// The robots a token matched and the union of their (template-substituted) permissions. When nothing
/// matched, <see cref="Message"/> is the documented client message; <see cref="Explanation"/> holds the
/// per-rule detail for the audit log and must never be sent to the caller.
/// </summary>
public sealed record RobotMatchResult
{
    private readonly Lazy<Explanation> _explanation;

    public RobotMatchResult(IReadOnlyList<RobotDefinition> matchedRobots, IReadOnlyList<Permission> permissions, Explanation explanation)
    {
        MatchedRobots = matchedRobots;
        Permissions = permissions;
        _explanation = new Lazy<Explanation>(explanation);
    }

    /// <param name="explain">Builds the explanation when first asked for: the token service never asks.</param>
    internal RobotMatchResult(IReadOnlyList<RobotDefinition> matchedRobots, IReadOnlyList<Permission> permissions, Func<Explanation> explain)
    {
        MatchedRobots = matchedRobots;
        Permissions = permissions;
        _explanation = new Lazy<Explanation>(explain, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The message a caller gets when its valid token matches no robot.</summary>
    public const string NoMatchMessage = "no robots matched your token";

    public IReadOnlyList<RobotDefinition> MatchedRobots { get; }

    public IReadOnlyList<Permission> Permissions { get; }

    public Explanation Explanation => _explanation.Value;

    public bool Matched => MatchedRobots.Count > 0;

    public string? Message => Matched ? null : NoMatchMessage;
}
