using Berth.Access.Permissions;
using Berth.Federation.Claims;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;

namespace Berth.Federation.Tests.Support;

/// <summary>The robots of issue 3's example configuration, against the seed identity providers.</summary>
internal static class Robots
{
    public static readonly IdentityProviderOptions[] Providers =
    [
        new() { Name = "github", Issuer = SeedClaims.GitHubIssuer, Audiences = [SeedClaims.Audience] },
        new() { Name = "gitlab", Issuer = SeedClaims.GitLabIssuer, Audiences = [SeedClaims.Audience] },
        new() { Name = "k3d", Issuer = SeedClaims.KubernetesIssuer, Audiences = [SeedClaims.Audience], Jwks = TestKey.Jwks(TestKeys.Kubernetes) },
    ];

    public static RobotDefinition CiPush => new()
    {
        Name = "ci-push",
        IdentityProvider = "github",
        Rules =
        [
            new ClaimRule("repository_owner_id", ClaimOperator.Equal, "46576199"),
            new ClaimRule("repository", ClaimOperator.Equal, "container-registry/federated-idp-examples"),
            new ClaimRule("ref", ClaimOperator.Glob, "refs/heads/*"),
            new ClaimRule("job_workflow_ref", ClaimOperator.Regex, @"container-registry/federated-idp-examples/\.github/workflows/example_1\.yml@refs/heads/(main|release-.*)"),
            new ClaimRule("event_name", ClaimOperator.In, ["push", "workflow_dispatch"]),
        ],
        Permissions = [Permission("library", "app/**", "pull", "push")],
    };

    public static RobotDefinition OrgCi => new()
    {
        Name = "org-ci",
        IdentityProvider = "github",
        Rules = [new ClaimRule("repository_owner_id", ClaimOperator.Equal, "46576199")],
        Permissions = [Permission("ci", "${repository}", "pull", "push"), Permission("library", "**", "pull")],
    };

    public static RobotDefinition ClusterPull => new()
    {
        Name = "cluster-pull",
        IdentityProvider = "k3d",
        Rules =
        [
            new ClaimRule("sub", ClaimOperator.Glob, "system:serviceaccount:*:*"),
            new ClaimRule("kubernetes.io.namespace", ClaimOperator.In, ["default", "release"]),
        ],
        Permissions = [Permission("library", "**", "pull")],
    };

    public static RobotDefinition GitLabPush => new()
    {
        Name = "gitlab-push",
        IdentityProvider = "gitlab",
        Rules = [new ClaimRule("namespace_id", ClaimOperator.Equal, "1087575"), new ClaimRule("ref_protected", ClaimOperator.Equal, "true")],
        Permissions = [Permission("library", "${project_path}", "push")],
    };

    public static RobotDefinition LegacyPull => new()
    {
        Name = "legacy-pull",
        SecretHash = "sha256:0000",
        Permissions = [Permission("library", "**", "pull")],
    };

    public static RobotDefinition[] All => [CiPush, OrgCi, ClusterPull, GitLabPush, LegacyPull];

    public static Permission Permission(string project, string repositories, params string[] actions) => new(project, repositories, actions);
}
