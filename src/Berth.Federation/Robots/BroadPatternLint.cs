using Berth.Federation.Claims;

namespace Berth.Federation.Robots;

/// <summary>
/// Lint 2: a glob or regex on <c>sub</c> or <c>ref</c> whose literal start does not reach past the parts
/// that say whose run it is. <c>sub</c> is read in <c>:</c>-fields: GitHub's <c>repo:OWNER/REPO:KIND…</c>
/// must fix three (so the kind of run, which tells a branch from <c>pull_request</c>, is fixed), GitLab's
/// <c>project_path:PATH:ref_type:KIND…</c> four, Kubernetes' <c>system:serviceaccount:NAMESPACE:…</c>
/// three. <c>ref</c> is read in <c>/</c>-components: <c>refs/KIND/</c> must be fixed. So
/// <c>refs/heads/*</c> (any branch) and <c>system:serviceaccount:build:*</c> (one namespace) pass; a
/// publishing robot that needs one branch is the permission lint's business.
/// </summary>
internal static class BroadPatternLint
{
    private static readonly (string Marker, int Fields)[] SubjectShapes = [("repo:", 3), ("project_path:", 4), ("system:serviceaccount:", 3)];

    public static IEnumerable<LintWarning> Check(RobotDefinition robot)
    {
        foreach (var (rule, index) in robot.Rules.Select((r, i) => (r, i)).Where(p => p.r.Operator is ClaimOperator.Glob or ClaimOperator.Regex))
        {
            var prefix = RulePattern.LiteralPrefixes(rule)[0].Text;
            var why = rule.Claim switch
            {
                "sub" when RulePattern.FixedFields(rule, ':') < Required(prefix, SubjectShapes, 1) => SubjectAdvice(prefix),
                "ref" when RulePattern.FixedFields(rule, '/') < Required(prefix, [("refs/", 2)], 1) => RefAdvice(prefix),
                _ => null,
            };
            if (why is not null)
            {
                yield return new LintWarning(robot.Name, LintCodes.BroadPattern, $"{rule.Claim} {rule.OperatorName} '{rule.Values[0]}' {why}") { Rule = index };
            }
        }
    }

    /// <summary>The most fields any shape the prefix could still be asks for (an empty prefix could be any).</summary>
    internal static int Required(string prefix, (string Marker, int Fields)[] shapes, int otherwise) =>
        shapes.Where(s => s.Marker.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(s.Marker, StringComparison.Ordinal))
            .Select(s => s.Fields)
            .DefaultIfEmpty(otherwise)
            .Max();

    private static string SubjectAdvice(string prefix) => prefix switch
    {
        _ when prefix.StartsWith("repo:", StringComparison.Ordinal) =>
            "leaves the repository or the kind of run open, so other repositories' tokens or pull requests' (repo:OWNER/REPO:pull_request) match: write the subject up to the kind of run, e.g. repo:OWNER/REPO:ref:refs/heads/main, or pin repository_id and ref instead",
        _ when prefix.StartsWith("project_path:", StringComparison.Ordinal) =>
            "leaves the project or the ref type open, so other projects' tokens or any branch or tag match: write it up to the ref type, e.g. project_path:GROUP/PROJECT:ref_type:branch:ref:main, or pin project_id and ref instead",
        _ when prefix.StartsWith("system:serviceaccount:", StringComparison.Ordinal) =>
            "leaves the namespace open, so every service account of the cluster matches: name the namespace, e.g. system:serviceaccount:NAMESPACE:NAME (or NAMESPACE:* for all of one namespace)",
        _ => "accepts almost any subject of this identity provider: write the subject you mean, e.g. repo:OWNER/REPO:ref:refs/heads/main or system:serviceaccount:NAMESPACE:NAME",
    };

    private static string RefAdvice(string prefix) => prefix.Length > 0
        ? "leaves the kind of ref open, so pull requests' refs (refs/pull/N/merge) and every branch and tag match: name the branch or tag, e.g. refs/heads/main or refs/tags/v*"
        : "accepts any ref, including pull requests' and every tag: name the branch or tag, e.g. refs/heads/main (GitHub) or main with ref_protected equals \"true\" (GitLab)";
}
