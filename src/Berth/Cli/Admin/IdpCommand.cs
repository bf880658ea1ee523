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
            WithHealth("refresh", "Fetch the identity provider's keys now and show the result", HttpMethod.Post, "/refresh"),
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
