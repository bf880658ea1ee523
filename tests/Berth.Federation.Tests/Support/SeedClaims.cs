using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Federation.Tests.Support;

/// <summary>
/// The exact GitHub Actions, GitLab CI and Kubernetes claim sets of the seed document
/// (reference/seed-workload-identity-federation.md). Only the time claims are moved, keeping their
/// offsets, so that the token was issued 10 s before the test clock's "now".
/// </summary>
internal static class SeedClaims
{
    public const string Audience = "macfly4200.8gears.ch";
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string GitLabIssuer = "https://gitlab.com";
    public const string KubernetesIssuer = "https://kubernetes.default.svc.cluster.local";

    private const string GitHub = """
        {"actor":"Vad1mo","actor_id":"1492007","aud":"macfly4200.8gears.ch","base_ref":"","check_run_id":"56363837828","event_name":"workflow_dispatch","exp":1764090768,"head_ref":"","iat":1764090468,"iss":"https://token.actions.githubusercontent.com","job_workflow_ref":"container-registry/federated-idp-examples/.github/workflows/example_1.yml@refs/heads/main","job_workflow_sha":"15a5ebfa3fb5ddf10c4b4250e14496bec7f03a56","jti":"6cf8862b-b832-4372-9998-22026ecd21a1","nbf":1764090168,"ref":"refs/heads/main","ref_protected":"false","ref_type":"branch","repository":"container-registry/federated-idp-examples","repository_id":"1104004353","repository_owner":"container-registry","repository_owner_id":"46576199","repository_visibility":"public","run_attempt":"1","run_id":"19677834613","run_number":"4","runner_environment":"github-hosted","sha":"15a5ebfa3fb5ddf10c4b4250e14496bec7f03a56","sub":"repo:container-registry/federated-idp-examples:ref:refs/heads/main","workflow":"Create Image and Push Using federated IDP","workflow_ref":"container-registry/federated-idp-examples/.github/workflows/example_1.yml@refs/heads/main","workflow_sha":"15a5ebfa3fb5ddf10c4b4250e14496bec7f03a56"}
        """;

    private const string GitLab = """
        {"project_id":"76366029","project_path":"8gears/container-registry/harbor-workload-identity-federation","namespace_id":"1087575","namespace_path":"8gears/container-registry","user_id":"907142","user_login":"vad1mo","user_email":"vaba@gmail.com","user_access_level":"owner","pipeline_id":"2179265456","pipeline_source":"push","job_id":"12217223061","ref":"main","ref_type":"branch","ref_path":"refs/heads/main","ref_protected":"true","runner_id":47561171,"runner_environment":"self-hosted","sha":"de7a8b6e3892321ac9d2305f26332dcdc775f1c2","project_visibility":"public","ci_config_ref_uri":"gitlab.com/8gears/container-registry/harbor-workload-identity-federation//.gitlab-ci.yml@refs/heads/main","ci_config_sha":"de7a8b6e3892321ac9d2305f26332dcdc775f1c2","jti":"aeb1491b-8988-49b5-ada0-2e372973b18e","iat":1764098080,"nbf":1764098075,"exp":1764101680,"iss":"https://gitlab.com","sub":"project_path:8gears/container-registry/harbor-workload-identity-federation:ref_type:branch:ref:main","aud":"macfly4200.8gears.ch"}
        """;

    private const string Kubernetes = """
        {"aud":["macfly4200.8gears.ch"],"exp":1764290604,"iat":1764287004,"iss":"https://kubernetes.default.svc.cluster.local","jti":"a8c1d9f4-ded3-42b8-9377-402f6cc34f5e","kubernetes.io":{"namespace":"default","node":{"name":"k3d-credential-provider-test-server-0","uid":"c922a6dd-d8af-4877-8a09-922898d7ddb5"},"pod":{"name":"httpd","uid":"375b30f1-ef29-4477-b46a-aa80607b6cfc"},"serviceaccount":{"name":"default","uid":"c871d5a5-d81d-4ce7-8c4b-2dd62dbde226"}},"nbf":1764287004,"sub":"system:serviceaccount:default:default"}
        """;

    public static JsonObject GitHubAt(DateTimeOffset now) => Rebase(GitHub, now);

    public static JsonObject GitLabAt(DateTimeOffset now) => Rebase(GitLab, now);

    public static JsonObject KubernetesAt(DateTimeOffset now) => Rebase(Kubernetes, now);

    /// <summary>The claims as a <see cref="JsonElement"/>, for rule and matcher tests.</summary>
    public static JsonElement Element(JsonObject claims) => JsonDocument.Parse(claims.ToJsonString()).RootElement.Clone();

    private static JsonObject Rebase(string json, DateTimeOffset now)
    {
        var claims = JsonNode.Parse(json)!.AsObject();
        var shift = now.ToUnixTimeSeconds() - 10 - claims["iat"]!.GetValue<long>();
        foreach (var name in new[] { "iat", "nbf", "exp" })
        {
            claims[name] = claims[name]!.GetValue<long>() + shift;
        }

        return claims;
    }
}
