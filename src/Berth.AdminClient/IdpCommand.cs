using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth idp add … | list | show NAME | refresh NAME | reset-keys NAME | remove NAME</c>.</summary>
internal static class IdpCommand
{
    public static Command Create()
    {
        var output = Output.Option();
        var list = AdminCommand.Verb("list", "List identity providers", output);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "identity-providers", null, r => Output.Write(parse.GetValue(output)!, r.Json, "name", "issuer", "audiences", "keySource", "managedBy"), null, ct));

        return new Command("idp", "Identity providers: trusted issuers of workload tokens")
        {
            IdpPresets.Create(),
            list,
            WithHealth("show", "Show an identity provider with its key cache health", HttpMethod.Get, string.Empty),
            Refresh(),
            ResetKeys(),
            Remove(),
        };
    }

    private static Command WithHealth(string verb, string description, HttpMethod method, string suffix)
    {
        var name = AdminCommand.Name("identity provider name");
        var output = Output.Option();
        var command = AdminCommand.Verb(verb, description, name, output);
        command.SetAction((parse, ct) => AdminCommand.RunAsync(method, $"identity-providers/{Uri.EscapeDataString(parse.GetValue(name)!)}{suffix}", null,
            r => Output.Write(parse.GetValue(output) is "table" ? "yaml" : parse.GetValue(output)!, r.Json), null, ct));
        return command;
    }

    /// <summary>Shows the keys after the fetch; a failed fetch also exits 1, so scripts and CI notice.</summary>
    private static Command Refresh()
    {
        var name = AdminCommand.Name("identity provider name");
        var output = Output.Option();
        var command = AdminCommand.Verb("refresh", "Fetch the identity provider's keys now and show the result (exit 1 when the fetch fails)", name, output);
        command.SetAction(async (parse, ct) =>
        {
            string? failure = null;
            var exit = await AdminCommand.RunAsync(HttpMethod.Post, $"identity-providers/{Uri.EscapeDataString(parse.GetValue(name)!)}/refresh", null, r =>
            {
                Output.Write(parse.GetValue(output) is "table" ? "yaml" : parse.GetValue(output)!, r.Json);
                failure = r.Json.TryGetProperty("keys", out var keys) && keys.TryGetProperty("lastError", out var error) ? error.GetString() : null;
            }, null, ct);
            if (exit == ExitCodes.Ok && failure is not null)
            {
                await Console.Error.WriteLineAsync($"berth: fetching the keys of identity provider {parse.GetValue(name)} failed: {failure}");
                return ExitCodes.Error;
            }

            return exit;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = AdminCommand.Name("identity provider name");
        var command = AdminCommand.Verb("remove", "Stop trusting an identity provider (refused while robots use it)", name);
        command.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Delete, $"identity-providers/{Uri.EscapeDataString(parse.GetValue(name)!)}", null, null, $"identity provider {parse.GetValue(name)} removed", ct));
        return command;
    }

    private static Command ResetKeys()
    {
        var name = AdminCommand.Name("identity provider name");
        var command = AdminCommand.Verb("reset-keys", "Forget the keys key sync sent: the provider's configured static JWKS applies again", name);
        command.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Delete, $"identity-providers/{Uri.EscapeDataString(parse.GetValue(name)!)}/jwks", null, null, $"identity provider {parse.GetValue(name)} uses its configured keys again", ct));
        return command;
    }
}
