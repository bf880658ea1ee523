namespace Berth.Federation.Robots;

/// <summary>The stable codes of <see cref="LintWarning"/>; docs/security.md lists each with its fix.</summary>
public static class LintCodes
{
    /// <summary>A rule checks a reusable name (repository, project_path, …) and no rule checks its immutable id.</summary>
    public const string NameWithoutId = "name-without-id";

    /// <summary>A glob or regex on <c>sub</c> or <c>ref</c> leaves the owner, repository, kind of run or ref kind open.</summary>
    public const string BroadPattern = "broad-pattern";

    /// <summary>A robot on github.com's or gitlab.com's shared issuer pins no tenant (the guard's error, reported too).</summary>
    public const string UnpinnedSharedIssuer = "unpinned-shared-issuer";

    /// <summary>Two robots trust the same identity provider with the same rules, in any order.</summary>
    public const string DuplicateRules = "duplicate-rules";

    /// <summary>A regex starts with <c>.*</c>, so with Berth's anchoring it still accepts any prefix.</summary>
    public const string RegexLeadingWildcard = "regex-leading-wildcard";

    /// <summary>A regex has an unescaped <c>.</c> between literal characters, as in <c>release.yml</c>.</summary>
    public const string RegexUnescapedDot = "regex-unescaped-dot";

    /// <summary>A regex has <c>|</c> outside any group, as in <c>main|release-.*</c> (each alternative is anchored, but reads as if it were not).</summary>
    public const string RegexTopLevelAlternation = "regex-top-level-alternation";

    /// <summary>Push or delete on every project or repository from a federated robot that pins no branch, tag, environment or workload.</summary>
    public const string BroadPermission = "broad-permission";

    /// <summary>Push or delete on every project or repository with a classic robot's static secret.</summary>
    public const string ClassicBroadPermission = "classic-broad-permission";

    /// <summary>A robot holding <c>jwks-sync</c> also has registry permissions.</summary>
    public const string KeySyncWithRegistryAccess = "key-sync-with-registry-access";
}
