using System.CommandLine;
using System.Text.Json;
using Berth.Auth;
using Berth.Configuration;
using Berth.Federation.Explain;
using Berth.Federation.Tokens;
using Berth.Http;

namespace Berth.Cli;

/// <summary>
/// <c>berth explain --config FILE --token-file T</c>: validates a workload token against the configured
/// identity providers and shows, per robot and per rule, the value found and the verdict. For
/// administrators only: it shows rule details that the token service never reveals.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Berth configuration file (offline); without it, the server of berth login explains with its live robots and keys" };
        var tokenFile = new Option<string?>("--token-file") { Description = "file holding the workload JWT" };
        var claimsFile = new Option<string?>("--claims-file") { Description = "file holding a bare claims JSON document (no signature check)" };
        var robot = new Option<string?>("--robot") { Description = "explain only this robot" };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        var command = new Command("explain", "Show why a token does or does not match each robot") { config, tokenFile, claimsFile, robot, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tokenPath = parse.GetValue(tokenFile);
            var claimsPath = parse.GetValue(claimsFile);
            if ((tokenPath is null) == (claimsPath is null))
            {
                await Console.Error.WriteLineAsync("berth explain: give exactly one of --token-file or --claims-file");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(config) is null)
            {
                return await ExplainOnServerAsync(tokenPath, claimsPath, parse.GetValue(robot), parse.GetValue(output)!, cancellationToken);
            }

            FederationModel model;
            try
            {
                model = FederationSetup.Build(ConfigurationLoader.Load(parse.GetValue(config)!));
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"berth: {e.Message}");
                return ExitCodes.Error;
            }

            Explanation explanation;
            string verdict;
            if (claimsPath is not null)
            {
                using var claims = JsonDocument.Parse(await File.ReadAllTextAsync(claimsPath, cancellationToken));
                explanation = Explainer.Explain(claims.RootElement.Clone(), model.Robots, parse.GetValue(robot));
                verdict = "claims document (signature and expiry not checked)";
            }
            else
            {
                var token = (await File.ReadAllTextAsync(tokenPath!, cancellationToken)).Trim();
                using var http = new HttpClient();
                var validator = new WorkloadTokenValidator(model.IdentityProviders, http, TimeProvider.System);
                var result = await validator.ValidateAsync(token, cancellationToken);
                if (result.IsValid)
                {
                    explanation = Explainer.Explain(result.Token, model.Robots, parse.GetValue(robot));
                    verdict = $"token valid: issuer {result.Token.Issuer} ({result.Token.IdentityProvider}), subject {result.Token.Subject}, expires {result.Token.ExpiresAt:u}";
                }
                else
                {
                    var claims = WorkloadTokenValidator.ReadUnverifiedClaims(token);
                    explanation = claims is { } unverified ? Explainer.Explain(unverified, model.Robots, parse.GetValue(robot)) : new Explanation([]);
                    verdict = $"token REFUSED: {result.Rejection.Reason}: {result.Rejection.Message} (rules below use the unverified claims)";
                }
            }

            if (parse.GetValue(output) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(new { verdict, explanation }, JsonDefaults.Options));
            }
            else
            {
                Console.WriteLine(verdict);
                Console.WriteLine(explanation.ToText());
            }

            return explanation.AnyMatched ? ExitCodes.Ok : ExitCodes.Error;
        });
        return command;
    }

    private static async Task<int> ExplainOnServerAsync(string? tokenPath, string? claimsPath, string? robot, string output, CancellationToken cancellationToken)
    {
        object body = claimsPath is not null
            ? new { claims = JsonDocument.Parse(await File.ReadAllTextAsync(claimsPath, cancellationToken)).RootElement, robot }
            : new { token = (await File.ReadAllTextAsync(tokenPath!, cancellationToken)).Trim(), robot };
        using var client = await Admin.AdminClient.FromLoginAsync(cancellationToken);
        if (client is null)
        {
            await Console.Error.WriteLineAsync("berth explain: or pass --config FILE to explain offline against a configuration file");
            return ExitCodes.Error;
        }

        var response = await client.SendAsync(HttpMethod.Post, "explain", body, cancellationToken);
        if (!response.Ok)
        {
            return await response.FailAsync();
        }

        var explanation = response.Json.GetProperty("explanation").Deserialize<Explanation>(JsonDefaults.Options)!;
        if (output == "json")
        {
            Console.WriteLine(response.Text);
        }
        else
        {
            Console.WriteLine(response.Json.GetProperty("verdict").GetString());
            Console.WriteLine(explanation.ToText());
        }

        return explanation.AnyMatched ? ExitCodes.Ok : ExitCodes.Error;
    }
}
