using System.CommandLine;
using Berth.Kube;

namespace Berth.Cli;

/// <summary>
/// <c>berth kube sync-jwks</c>: key sync from inside a private cluster (see <see cref="JwksSync"/>).
/// <c>berth kube refresh-pull-secret</c>: for Flux (≤ 2.9) and other clients that only read
/// <c>imagePullSecrets</c>, trades the pod's projected service-account token for a Berth refresh
/// token and keeps a <c>kubernetes.io/dockerconfigjson</c> Secret holding it. Once (CronJob, the
/// default) or every <c>--interval</c> (sidecar, until SIGTERM).
/// </summary>
internal static class KubeCommand
{
    public const string DefaultTokenFile = "/var/run/secrets/berth/token";

    public static Command Create() => new("kube", "Kubernetes helpers") { RefreshPullSecret(), SyncJwks() };

    private static Command SyncJwks()
    {
        var registry = new Option<string>("--registry") { Description = "the registry's URL, e.g. https://registry.example.com", Required = true };
        var idp = new Option<string>("--idp") { Description = "the identity provider in Berth whose keys this cluster's keys replace", Required = true };
        var tokenFile = new Option<string>("--token-file") { Description = "projected service-account token for key sync's audience (tokens.keySyncAudience, default berth-key-sync), at most 10 minutes long; its robot needs jwks-sync", DefaultValueFactory = _ => DefaultTokenFile };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: in-cluster configuration)" };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "send this JWKS file instead of reading /openid/v1/jwks from the API server" };
        var command = new Command("sync-jwks", "Send this cluster's service-account verification keys to Berth (key sync), proved by this pod's token; for a CronJob")
        {
            registry, idp, tokenFile, kubeconfig, jwksFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!RegistryUrl.TryParse(parse.GetValue(registry), out var registryUri))
            {
                await error.WriteLineAsync("berth kube sync-jwks: " + RegistryUrl.Problem);
                return ExitCodes.Usage;
            }

            try
            {
                var token = await WorkloadTokenFile.ReadAsync(parse.GetValue(tokenFile)!, cancellationToken);
                string jwks;
                if (parse.GetValue(jwksFile) is { } file)
                {
                    jwks = await File.ReadAllTextAsync(file, cancellationToken);
                }
                else
                {
                    jwks = await ClusterIssuerDiscovery.FetchJwksAsync(parse.GetValue(kubeconfig), cancellationToken);
                }

                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                await parse.InvocationConfiguration.Output.WriteLineAsync(await new JwksSync(http).RunAsync(registryUri, parse.GetValue(idp)!, token, jwks, cancellationToken));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is RefreshFailure or ClusterDiscoveryFailure or FileNotFoundException or DirectoryNotFoundException)
            {
                await error.WriteLineAsync($"berth kube sync-jwks: {e.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    private static Command RefreshPullSecret()
    {
        var registry = new Option<string>("--registry") { Description = "the registry's URL, e.g. https://registry.example.com", Required = true };
        var tokenFile = new Option<string>("--token-file") { Description = "projected service-account token whose audience is the registry", DefaultValueFactory = _ => DefaultTokenFile };
        var ns = new Option<string>("--namespace") { Description = "namespace of the pull secret", Required = true };
        var secret = new Option<string>("--secret") { Description = "name of the kubernetes.io/dockerconfigjson Secret to create or replace", Required = true };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: in-cluster configuration)" };
        var service = new Option<string?>("--service") { Description = "token service name; skips discovery through the GET /v2/ challenge" };
        var once = new Option<bool>("--once") { Description = "refresh once and exit (the default; for a CronJob)" };
        var interval = new Option<string?>("--interval") { Description = "refresh every interval (e.g. 30m) until SIGTERM (for a sidecar)" };
        var command = new Command("refresh-pull-secret", "Exchange this pod's service-account token for a Berth refresh token and write it into an image pull secret")
        {
            registry, tokenFile, ns, secret, kubeconfig, service, once, interval,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!RegistryUrl.TryParse(parse.GetValue(registry), out var registryUri))
            {
                await error.WriteLineAsync("berth kube refresh-pull-secret: " + RegistryUrl.Problem);
                return ExitCodes.Usage;
            }

            TimeSpan? every = null;
            if (parse.GetValue(interval) is { } text)
            {
                if (parse.GetValue(once))
                {
                    await error.WriteLineAsync("berth kube refresh-pull-secret: give --once or --interval, not both");
                    return ExitCodes.Usage;
                }

                if (!RefreshInterval.TryParse(text, out var parsed, out var problem))
                {
                    await error.WriteLineAsync($"berth kube refresh-pull-secret: {problem}");
                    return ExitCodes.Usage;
                }

                every = parsed;
            }

            var options = new PullSecretRefreshOptions(
                registryUri,
                parse.GetValue(tokenFile)!,
                parse.GetValue(ns)!,
                parse.GetValue(secret)!,
                parse.GetValue(kubeconfig),
                parse.GetValue(service));
            try
            {
                return await PullSecretRefresh.RunAsync(options, every, output, error, cancellationToken);
            }
            catch (RefreshFailure e)
            {
                await error.WriteLineAsync($"berth kube refresh-pull-secret: {e.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }
}
