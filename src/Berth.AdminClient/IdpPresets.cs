using System.CommandLine;
using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth idp add github | gitlab | forgejo | kubernetes | oidc</c>: the sources users run, with their
/// issuers already known, so only the audience (the registry's host, by convention) is left to type.
/// A cluster's issuer and keys can also be read from the cluster itself (<see cref="ClusterIdp"/>).
/// </summary>
internal static class IdpPresets
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string GitLabDotCom = "https://gitlab.com";
    public const string KubernetesIssuer = "https://kubernetes.default.svc.cluster.local";

    public static Command Create() => new("add", "Trust an identity provider: a preset for the sources Berth knows, or any OIDC issuer")
    {
        GitHub(),
        GitLab(),
        Forgejo(),
        Kubernetes(),
        Oidc(),
    };

    private static Command GitHub()
    {
        var (name, audience) = (NameOption("github"), AudienceOption());
        var command = AdminCommand.Verb("github", $"GitHub Actions ({GitHubIssuer}, keys by OIDC discovery); robots on it must pin the owner", name, audience);
        command.SetAction((parse, ct) => AddAsync(parse.GetValue(name)!, GitHubIssuer, parse.GetValue(audience)!, null, null, null, ct));
        return command;
    }

    private static Command GitLab()
    {
        var (name, audience) = (NameOption("gitlab"), AudienceOption());
        var url = new Option<string>("--url") { Description = "the GitLab instance (its URL is the issuer)", DefaultValueFactory = _ => GitLabDotCom };
        var command = AdminCommand.Verb("gitlab", "GitLab CI id_tokens (issuer = instance URL, keys by OIDC discovery)", name, audience, url);
        command.SetAction((parse, ct) => AddAsync(parse.GetValue(name)!, parse.GetValue(url)!.TrimEnd('/'), parse.GetValue(audience)!, null, null, null, ct));
        return command;
    }

    private static Command Forgejo()
    {
        var (name, audience) = (NameOption("forgejo"), AudienceOption());
        var url = new Option<string>("--url") { Description = "the Forgejo instance, e.g. https://codeberg.org", Required = true };
        var command = AdminCommand.Verb("forgejo", "Forgejo Actions (issuer = <instance>/api/actions, keys by OIDC discovery)", name, audience, url);
        command.SetAction((parse, ct) => AddAsync(parse.GetValue(name)!, parse.GetValue(url)!.TrimEnd('/') + "/api/actions", parse.GetValue(audience)!, null, null, null, ct));
        return command;
    }

    private static Command Kubernetes()
    {
        var (name, audience) = (NameOption("kubernetes"), AudienceOption());
        var issuer = new Option<string>("--issuer") { Description = "the cluster's --service-account-issuer", DefaultValueFactory = _ => KubernetesIssuer };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "the cluster's keys: kubectl get --raw /openid/v1/jwks > jwks.json (private clusters)" };
        var jwksUrl = new Option<string?>("--jwks-url") { Description = "the cluster's JWKS URL, when Berth can reach it" };
        var fromKubeconfig = new Option<string?>("--from-kubeconfig")
        {
            Description = "read the issuer and keys through the API server with this kubeconfig (default: $KUBECONFIG, then ~/.kube/config); needs the ClusterRole system:service-account-issuer-discovery",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "PATH",
        };
        var command = AdminCommand.Verb("kubernetes", "Kubernetes service-account tokens (kubelet credential provider, refresher)", name, audience, issuer, jwksFile, jwksUrl, fromKubeconfig);
        command.SetAction(async (parse, ct) =>
        {
            var fromCluster = parse.GetResult(fromKubeconfig) is not null;
            if ((parse.GetValue(jwksFile) is null ? 0 : 1) + (parse.GetValue(jwksUrl) is null ? 0 : 1) + (fromCluster ? 1 : 0) != 1)
            {
                await Console.Error.WriteLineAsync("berth idp add kubernetes: give one of --jwks-file (kubectl get --raw /openid/v1/jwks > jwks.json), --jwks-url or --from-kubeconfig [PATH]");
                return ExitCodes.Usage;
            }

            if (fromCluster)
            {
                // --issuer keeps its documented default for the other key sources; here the cluster's own issuer wins unless typed.
                var typedIssuer = parse.GetResult(issuer) is { Implicit: false } ? parse.GetValue(issuer) : null;
                return await ClusterIdp.AddAsync(parse.GetValue(name)!, typedIssuer, parse.GetValue(audience)!, parse.GetValue(fromKubeconfig), ct);
            }

            return await AddAsync(parse.GetValue(name)!, parse.GetValue(issuer)!, parse.GetValue(audience)!, null, parse.GetValue(jwksUrl), parse.GetValue(jwksFile), ct);
        });
        return command;
    }

    private static Command Oidc()
    {
        var name = new Option<string>("--name") { Description = "name robots refer to", Required = true };
        var issuer = new Option<string>("--issuer") { Description = "the tokens' iss, compared exactly", Required = true };
        var audience = AudienceOption();
        var discovery = new Option<string?>("--discovery-url") { Description = "OIDC discovery document (default: issuer/.well-known/openid-configuration)" };
        var jwksUrl = new Option<string?>("--jwks-url") { Description = "JWKS document URL" };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "local JWKS file, pasted into Berth (e.g. kubectl get --raw /openid/v1/jwks)" };
        var command = AdminCommand.Verb("oidc", "Trust a generic OIDC issuer", name, issuer, audience, discovery, jwksUrl, jwksFile);
        command.SetAction((parse, ct) => AddAsync(parse.GetValue(name)!, parse.GetValue(issuer)!, parse.GetValue(audience)!, parse.GetValue(discovery), parse.GetValue(jwksUrl), parse.GetValue(jwksFile), ct));
        return command;
    }

    private static async Task<int> AddAsync(string name, string issuer, string[] audiences, string? discoveryUrl, string? jwksUrl, string? jwksFile, CancellationToken cancellationToken)
    {
        var jwks = jwksFile is null ? null : await File.ReadAllTextAsync(jwksFile, cancellationToken);
        return await AdminCommand.RunAsync(
            HttpMethod.Post,
            "identity-providers",
            new { name, issuer, audiences, discoveryUrl, jwksUrl, jwks },
            r => Console.WriteLine($"identity provider {name} added (issuer {issuer}{KeysOf(r.Json)})"),
            null,
            cancellationToken);
    }

    /// <summary>A pasted JWKS is loaded at once: say which keys, so a wrong file shows now rather than at the first token.</summary>
    private static string KeysOf(JsonElement provider)
    {
        if (!provider.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Object || !keys.GetProperty("keysUsable").GetBoolean())
        {
            return string.Empty;
        }

        return ", keys " + string.Join(", ", keys.GetProperty("keyIds").EnumerateArray().Select(k => k.GetString() is { Length: > 0 } kid ? kid : "(no kid)"));
    }

    private static Option<string> NameOption(string preset) =>
        new("--name") { Description = "name robots refer to", DefaultValueFactory = _ => preset };

    private static Option<string[]> AudienceOption() =>
        new("--audience") { Description = "accepted audience, repeatable; by convention the registry's host, e.g. registry.example.com", Required = true };
}
