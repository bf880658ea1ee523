using Berth.Access.Permissions;
using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// Lint 6: push or delete on every project (<c>*</c>) or every repository of a project (<c>**</c>) that
/// no rule justifies. A federated robot justifies it by pinning what runs: one branch or tag
/// (<c>ref</c>/<c>ref_path</c> beyond <c>refs/heads/*</c>), an environment, protected refs only
/// (<c>ref_protected</c>/<c>environment_protected</c> equals <c>"true"</c>), one workflow file at one ref
/// (<c>job_workflow_ref</c>/<c>workflow_ref</c> exact), or one whole subject (<c>sub</c> exact, which is
/// one service account or one repository's branch). A classic robot cannot: its static secret is the
/// whole credential, so it is reported whenever it may push or delete everywhere.
/// Templated permissions (<c>${…}</c>) are narrowed by the token's own claims and are not reported.
/// </summary>
internal static class PermissionLint
{
    private static readonly string[] Writes = [RegistryActions.Push, RegistryActions.Delete];

    public static IEnumerable<LintWarning> Check(RobotDefinition robot)
    {
        var everywhere = robot.Permissions
            .Select((p, i) => (Permission: p, Index: i))
            .Where(p => !PermissionTemplate.IsTemplated(p.Permission) && (p.Permission.Project == "*" || p.Permission.Repositories == "**"))
            .Where(p => p.Permission.Actions.Any(a => Writes.Contains(a, StringComparer.Ordinal)))
            .ToList();
        if (everywhere.Count == 0 || (robot.IsFederated && robot.Rules.Any(PinsWhatRuns)))
        {
            yield break;
        }

        foreach (var (permission, index) in everywhere)
        {
            var actions = string.Join(" and ", permission.Actions.Where(a => Writes.Contains(a, StringComparer.Ordinal)));
            yield return robot.IsFederated
                ? new LintWarning(
                    robot.Name,
                    LintCodes.BroadPermission,
                    $"may {actions} {Scope(permission)}, but no rule pins a branch, tag, environment or single workload, so a token from any branch of what the rules allow can {actions} there: add a rule such as ref equals refs/heads/main, environment equals production or ref_protected equals \"true\", or narrow the permission to the repositories this robot publishes") { Permission = index }
                : new LintWarning(
                    robot.Name,
                    LintCodes.ClassicBroadPermission,
                    $"is a classic robot whose static secret may {actions} {Scope(permission)}: whoever gets the secret can overwrite or delete every image there; narrow the permission, or replace the robot with a federated one") { Permission = index };
        }
    }

    private static string Scope(Permission permission) => (permission.Project, permission.Repositories) switch
    {
        ("*", "**") => "in every repository of every project (*/**)",
        ("*", var repositories) => $"in '{repositories}' of every project (*)",
        (var project, _) => $"in every repository of project {project} ({project}/**)",
    };

    private static bool PinsWhatRuns(ClaimRule rule) => rule.Claim switch
    {
        "ref" or "ref_path" => RulePattern.FixedFields(rule, '/') >= BroadPatternLint.Required(RulePattern.LiteralPrefixes(rule)[0].Text, [("refs/", 3)], 1),
        "environment" => RulePattern.FixedFields(rule, '/') >= 1,
        "ref_protected" or "environment_protected" => RulePattern.IsExact(rule) && rule.Values.All(v => v == "true"),
        "sub" or "job_workflow_ref" or "workflow_ref" => RulePattern.IsExact(rule),
        _ => false,
    };
}
