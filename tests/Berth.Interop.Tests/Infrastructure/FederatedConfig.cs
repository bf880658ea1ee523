using Berth.Federation.Tests.Support;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// The `--config` file of the federated interop server: a GitHub-like and a Kubernetes-like
/// identity provider (the seed document's issuers, keys pasted as static JWKS), the private
/// project `library`, the public project `public-images`, and two federated robots.
/// </summary>
internal static class FederatedConfig
{
    public const string PushRobot = "ci-push";
    public const string PullRobot = "cluster-pull";

    public static string Yaml(TestKey gitHub, TestKey kubernetes) => $$"""
        identityProviders:
          - name: github
            issuer: {{SeedClaims.GitHubIssuer}}
            audiences: [{{SeedClaims.Audience}}]
            jwks: '{{TestKey.Jwks(gitHub)}}'
          - name: k3d
            issuer: {{SeedClaims.KubernetesIssuer}}
            audiences: [{{SeedClaims.Audience}}]
            jwks: '{{TestKey.Jwks(kubernetes)}}'
        projects:
          - name: library
          - name: public-images
            public: true
        robots:
          - name: {{PushRobot}}
            identityProvider: github
            rules:
              - { claim: repository_owner_id, equals: "46576199" }
              - { claim: repository, equals: container-registry/federated-idp-examples }
              - { claim: ref, glob: "refs/heads/*" }
              - { claim: event_name, in: [push, workflow_dispatch] }
            permissions:
              - { project: library, repositories: "app/**", actions: [pull, push] }
          - name: {{PullRobot}}
            identityProvider: k3d
            rules:
              - { claim: sub, glob: "system:serviceaccount:*:*" }
              - { claim: kubernetes.io.namespace, in: [default, build] }
            permissions:
              - { project: library, repositories: "**", actions: [pull] }
        """;
}
