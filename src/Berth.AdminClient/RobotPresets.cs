namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot add --preset KIND TARGET</c>: the rules a careful engineer writes for each source, pinned
/// to immutable ids where the platform has them (names can be renamed and re-registered by someone else).
/// </summary>
internal static class RobotPresets
{
    public const string GitHubRepository = "github-repo";
    public const string GitLabProject = "gitlab-project";
    public const string KubernetesServiceAccount = "kubernetes-serviceaccount";

    /// <summary>Default robot name, identity provider (the idp preset's default name) and rules in <c>--rule</c> syntax.</summary>
    public sealed record Preset(string Name, string IdentityProvider, IReadOnlyList<string> Rules);

    public sealed record Ids(string? OwnerId, string? RepositoryId, string? ProjectId, string? NamespaceId, string? Audience);

    public static (Preset? Preset, string? Problem) Build(string kind, string target, Ids ids)
    {
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return kind switch
        {
            GitHubRepository when parts.Length == 2 && ids is { OwnerId: { } owner, RepositoryId: { } repository } =>
                (new Preset($"{parts[0]}-{parts[1]}".ToLowerInvariant(), "github", [$"repository_owner_id={owner}", $"repository_id={repository}", $"repository={target}"]), null),
            GitHubRepository when parts.Length == 2 =>
                (null, $"--preset {GitHubRepository} pins GitHub's immutable ids: add --owner-id and --repository-id (gh api repos/{target} --jq '.owner.id, .id')"),
            GitLabProject when parts.Length >= 2 && ids is { ProjectId: { } project, NamespaceId: { } ns } =>
                (new Preset(string.Join('-', parts).ToLowerInvariant(), "gitlab", [$"namespace_id={ns}", $"project_id={project}", $"project_path={target}"]), null),
            GitLabProject when parts.Length >= 2 =>
                (null, $"--preset {GitLabProject} pins GitLab's immutable ids: add --project-id and --namespace-id (shown on the project's settings page)"),
            KubernetesServiceAccount when parts.Length == 2 && ids.Audience is { } audience =>
                (new Preset($"{parts[0]}-{parts[1]}".ToLowerInvariant(), "kubernetes", [$"sub=system:serviceaccount:{parts[0]}:{parts[1]}", $"aud={audience}"]), null),
            KubernetesServiceAccount when parts.Length == 2 =>
                (null, $"--preset {KubernetesServiceAccount} pins the audience too: add --audience (the kubelet's serviceAccountTokenAudience)"),
            GitHubRepository or KubernetesServiceAccount =>
                (null, $"--preset {kind} takes OWNER/NAME, e.g. {(kind == GitHubRepository ? "acme/app" : "build/builder")}"),
            GitLabProject => (null, "--preset gitlab-project takes GROUP/PROJECT, e.g. acme/platform/app"),
            _ => (null, $"unknown preset '{kind}': use {GitHubRepository}, {GitLabProject} or {KubernetesServiceAccount}"),
        };
    }
}
