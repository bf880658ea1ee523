using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth idp list | show NAME | refresh NAME | remove NAME</c>, and <c>idp add oidc</c>.</summary>
internal static class IdpCommand
{
    public static Command Create()
    {
        var output = Output.Option();
        var list = AdminCommand.Verb("list", "List identity providers", output);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "identity-providers", null, r => Output.Write(parse.GetValue(output)!, r.Json, "name", "issuer", "audiences", "keySource", "managedBy"), null, ct));

        return new Command("idp", "Identity providers: trusted issuers of workload tokens")
        {
            AddCommand(),
            list,
            WithHealth("show", "Show an identity provider with its key cache health", HttpMethod.Get, string.Empty),
            WithHealth("refresh", "Fetch the identity providers' keys now and show the result", HttpMethod.Post, "/refresh"),
            Remove(),
        };
    }

    private static Command AddCommand()
    {
        var name = new Option<string>("--name") { Description = "name robots refer to", Required = true };
        var issuer = new Option<string>("--issuer") { Description = "the tokens' iss, compared exactly", Required = true };
        var audience = new Option<string[]>("--audience") { Description = "accepted audience, repeatable", Required = true };
        var discovery = new Option<string?>("--discovery-url") { Description = "OIDC discovery document (default: issuer/.well-known/openid-configuration)" };
        var jwksUrl = new Option<string?>("--jwks-url") { Description = "JWKS document URL" };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "local JWKS file, pasted into Berth (e.g. kubectl get --raw /openid/v1/jwks)" };
        var oidc = AdminCommand.Verb("oidc", "Trust a generic OIDC issuer", name, issuer, audience, discovery, jwksUrl, jwksFile);
        oidc.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(jwksFile);
            var jwks = file is null ? null : await File.ReadAllTextAsync(file, ct);
            var idp = parse.GetValue(name)!;
            return await AdminCommand.RunAsync(HttpMethod.Post, "identity-providers", new
            {
                name = idp,
                issuer = parse.GetValue(issuer),
                audiences = parse.GetValue(audience),
                discoveryUrl = parse.GetValue(discovery),
                jwksUrl = parse.GetValue(jwksUrl),
                jwks,
            }, null, $"identity provider {idp} added", ct);
        });
        return new Command("add", "Trust an identity provider (presets for github, gitlab, forgejo and kubernetes come later)") { oidc };
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
}
