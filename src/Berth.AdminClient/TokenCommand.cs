using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth token create --name N [--expires 30d] | list | revoke NAME</c>: admin API tokens, e.g. for CI;
/// <c>berth token revoke --robot R | --subject S | --issuer I</c>: the refresh tokens of a robot, workload or issuer.
/// </summary>
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

        var revokeName = new Argument<string?>("NAME") { Description = "the admin token's name", Arity = ArgumentArity.ZeroOrOne };
        var robot = new Option<string?>("--robot") { Description = "revoke every refresh token bound to this robot" };
        var subject = new Option<string?>("--subject") { Description = "revoke every refresh token of this workload subject (sub)" };
        var issuer = new Option<string?>("--issuer") { Description = "revoke every refresh token bought with a token of this issuer (iss)" };
        var revoke = AdminCommand.Verb("revoke", "Revoke an admin token (NAME), or refresh tokens (--robot, --subject or --issuer)", revokeName, robot, subject, issuer);
        revoke.SetAction((parse, ct) =>
        {
            var name = parse.GetValue(revokeName);
            var selectors = new[] { ("robot", parse.GetValue(robot)), ("subject", parse.GetValue(subject)), ("issuer", parse.GetValue(issuer)) }.Where(s => s.Item2 is not null).ToList();
            if ((name is null ? 0 : 1) + selectors.Count != 1)
            {
                Console.Error.WriteLine("berth token revoke: give an admin token's NAME, or exactly one of --robot, --subject, --issuer");
                return Task.FromResult(ExitCodes.Usage);
            }

            if (name is not null)
            {
                return AdminCommand.RunAsync(HttpMethod.Delete, $"tokens/{Uri.EscapeDataString(name)}", null, null, $"revoked {name}", ct);
            }

            var (key, value) = selectors[0];
            return AdminCommand.RunAsync(HttpMethod.Delete, $"refresh-tokens?{key}={Uri.EscapeDataString(value!)}", null,
                r => Console.WriteLine($"revoked {r.Json.GetProperty("revoked").GetInt32()} refresh tokens of {key} {value}"), null, ct);
        });

        return new Command("token", "Admin API tokens") { create, list, revoke };
    }
}
