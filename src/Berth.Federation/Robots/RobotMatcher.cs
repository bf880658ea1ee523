using System.Text.Json;
using Berth.Access.Permissions;
using Berth.Federation.Explain;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Tokens;

namespace Berth.Federation.Robots;

/// <summary>
/// Maps a validated workload token to robots: every enabled federated robot of the token's identity
/// provider whose rules all hold; when the login username names a robot, only that robot is checked.
/// The robots are checked by <see cref="RobotDefinitionValidator"/> (including the shared-issuer guard)
/// at construction, so an unpinned robot on github.com's or gitlab.com's issuer can never match.
/// </summary>
public sealed class RobotMatcher
{
    private readonly IReadOnlyList<RobotDefinition> _robots;

    /// <exception cref="ArgumentException">A robot definition is invalid; the message lists every problem.</exception>
    public RobotMatcher(IEnumerable<RobotDefinition> robots, IEnumerable<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(robots);
        ArgumentNullException.ThrowIfNull(identityProviders);
        _robots = robots.ToList();
        var errors = RobotDefinitionValidator.ValidateAll(_robots, identityProviders.ToList());
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid robots:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(robots));
        }

        Fingerprint = RobotsFingerprint.Compute(_robots);
    }

    public IReadOnlyList<RobotDefinition> Robots => _robots;

    /// <summary>Fingerprint of all robots; see <see cref="RobotsFingerprint"/>.</summary>
    public string Fingerprint { get; }

    /// <param name="token">A token that <see cref="WorkloadTokenValidator"/> accepted.</param>
    /// <param name="username">The login username; pins the robot when it names one, otherwise ignored (e.g. <c>not-relevant</c>, <c>jwt</c>).</param>
    public RobotMatchResult Match(ValidatedWorkloadToken token, string? username)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Match(token.IdentityProvider, token.Claims, username);
    }

    /// <summary>Matches verified claims that came from <paramref name="identityProvider"/>.</summary>
    public RobotMatchResult Match(string identityProvider, JsonElement claims, string? username)
    {
        ArgumentNullException.ThrowIfNull(identityProvider);
        var pinned = username is not null && _robots.Any(r => string.Equals(r.Name, username, StringComparison.Ordinal));
        var matched = new List<RobotDefinition>();
        var permissions = new List<Permission>();
        foreach (var robot in _robots)
        {
            if (pinned && !string.Equals(robot.Name, username, StringComparison.Ordinal))
            {
                continue;
            }

            if (RobotEvaluator.Matches(robot, claims, identityProvider))
            {
                matched.Add(robot);
                RobotEvaluator.AddPermissions(robot, claims, permissions, dropped: null);
            }
        }

        // The per-rule explanation is for explain and tests; every exchange evaluates the rules above
        // without building it (it was most of the matcher's time and allocation).
        return new RobotMatchResult(matched, PermissionUnion.Of(permissions), () => Explain(claims, identityProvider, pinned ? username : null));
    }

    /// <summary>A robot by name, e.g. to check a classic robot's secret.</summary>
    public RobotDefinition? Find(string name) => _robots.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    private Explanation Explain(JsonElement claims, string identityProvider, string? pinned) =>
        new(_robots.Where(r => pinned is null || string.Equals(r.Name, pinned, StringComparison.Ordinal))
            .Select(r => RobotEvaluator.Evaluate(r, claims, identityProvider))
            .ToList());
}
