using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth token create --name N [--expires 30d] | list | revoke NAME</c>: admin API tokens, e.g. for CI.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "token name, e.g. ci-admin", Required = true };
        var expires = new Option<string?>("--expires") { Description = "lifetime such as 12h or 30d (default: never expires)" };
        var create = AdminCommand.Verb("create", "Create an admin token; it is printed once", name, expires);
        create.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Post, "tokens", new { name = parse.GetValue(name), expiresIn = parse.GetValue(expires) },
            r => Console.WriteLine(r.Json.GetProperty("token").GetString()), null, ct));

        var output = Output.Option();
        var list = AdminCommand.Verb("list", "List admin tokens (names and expiry, never the tokens)", output);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "tokens", null, r => Output.Write(parse.GetValue(output)!, r.Json, "name", "createdAt", "expiresAt"), null, ct));

        var revokeName = AdminCommand.Name("the token's name");
        var revoke = AdminCommand.Verb("revoke", "Revoke an admin token", revokeName);
        revoke.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Delete, $"tokens/{Uri.EscapeDataString(parse.GetValue(revokeName)!)}", null, null, $"revoked {parse.GetValue(revokeName)}", ct));

        return new Command("token", "Admin API tokens") { create, list, revoke };
    }
}
