using System.CommandLine;
using System.Text.Json;
using Berth.Auth;
using Berth.Configuration;
using Berth.Federation.Explain;
using Berth.Federation.Robots;
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

            using var http = new HttpClient();
            using var validator = new WorkloadTokenValidator(model.IdentityProviders, http, TimeProvider.System);
            var explainer = new TokenExplainer(validator, new RobotMatcher(model.Robots, model.IdentityProviders));
            TokenExplanation explanation;
            if (claimsPath is not null)
            {
                using var claims = JsonDocument.Parse(await File.ReadAllTextAsync(claimsPath, cancellationToken));
                if (claims.RootElement.ValueKind != JsonValueKind.Object)
                {
                    await Console.Error.WriteLineAsync("berth explain: the claims file must hold a JSON object");
                    return ExitCodes.Usage;
                }

                explanation = explainer.ExplainClaims(claims.RootElement.Clone(), parse.GetValue(robot));
            }
            else
            {
                var token = (await File.ReadAllTextAsync(tokenPath!, cancellationToken)).Trim();
                explanation = await explainer.ExplainTokenAsync(token, parse.GetValue(robot), cancellationToken);
            }

            return Print(explanation, parse.GetValue(output)!);
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

        var explanation = response.Json.Deserialize<TokenExplanation>(JsonDefaults.Options)!;
        if (output == "json")
        {
            Console.WriteLine(response.Text);
            return explanation.IsMatched ? ExitCodes.Ok : ExitCodes.Error;
        }

        return Print(explanation, output);
    }

    /// <summary>Exit 0 only when the registry would accept the token (or the claims match): a refused token fails scripts.</summary>
    private static int Print(TokenExplanation explanation, string output)
    {
        Console.Write(output == "json" ? JsonSerializer.Serialize(explanation, JsonDefaults.Options) + Environment.NewLine : explanation.ToText());
        return explanation.IsMatched ? ExitCodes.Ok : ExitCodes.Error;
    }
}
