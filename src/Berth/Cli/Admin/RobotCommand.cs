using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot add NAME --idp IDP --rule … --allow …</c> (federated) or <c>add NAME --secret --allow …</c>
/// (classic; prints the secret once), <c>list | show NAME | disable NAME | enable NAME | remove NAME</c>.
/// </summary>
internal static class RobotCommand
{
    public static Command Create()
    {
        var output = Output.Option();
        var list = AdminCommand.Verb("list", "List robots", output);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "robots", null, r => Output.Write(parse.GetValue(output)!, r.Json, "name", "kind", "identityProvider", "enabled", "managedBy"), null, ct));

        var showName = AdminCommand.Name("robot name");
        var showOutput = Output.Option();
        var show = AdminCommand.Verb("show", "Show a robot's rules and permissions", showName, showOutput);
        show.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, $"robots/{Uri.EscapeDataString(parse.GetValue(showName)!)}", null,
            r => Output.Write(parse.GetValue(showOutput) is "table" ? "yaml" : parse.GetValue(showOutput)!, r.Json), null, ct));

        return new Command("robot", "Robot accounts: federated (identity provider and claim rules) or classic (a secret)")
        {
            Add(),
            list,
            show,
            Simple("enable", "Enable a robot", HttpMethod.Post, "enable", "enabled"),
            Simple("disable", "Disable a robot: its registry and refresh tokens stop working at once", HttpMethod.Post, "disable", "disabled"),
            Simple("remove", "Delete a robot", HttpMethod.Delete, null, "removed"),
        };
    }

    private static Command Add()
    {
        var name = AdminCommand.Name("robot name, e.g. ci-push");
        var idp = new Option<string?>("--idp") { Description = "identity provider whose tokens this robot trusts" };
        var rules = new Option<string[]>("--rule") { Description = "claim rule, repeatable: claim=value, claim~glob, claim=~regex, 'claim in a,b'" };
        var allows = new Option<string[]>("--allow") { Description = "permission, repeatable: actions:project/repository-glob, e.g. pull,push:library/app/**", Required = true };
        var secret = new Option<bool>("--secret") { Description = "a classic robot with a generated secret (printed once) instead of an identity provider" };
        var add = AdminCommand.Verb("add", "Create a robot", name, idp, rules, allows, secret);
        add.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(secret) == (parse.GetValue(idp) is not null))
            {
                await Console.Error.WriteLineAsync("berth robot add: give either --idp IDP with --rule (federated) or --secret (classic)");
                return ExitCodes.Usage;
            }

            var parsedRules = new List<object>();
            foreach (var text in parse.GetValue(rules) ?? [])
            {
                var (rule, problem) = RuleText.ParseRule(text);
                if (rule is null)
                {
                    await Console.Error.WriteLineAsync("berth robot add: " + problem);
                    return ExitCodes.Usage;
                }

                parsedRules.Add(rule);
            }

            var permissions = new List<object>();
            foreach (var text in parse.GetValue(allows) ?? [])
            {
                var (permission, problem) = RuleText.ParseAllow(text);
                if (permission is null)
                {
                    await Console.Error.WriteLineAsync("berth robot add: " + problem);
                    return ExitCodes.Usage;
                }

                permissions.Add(permission);
            }

            var robot = parse.GetValue(name)!;
            return await AdminCommand.RunAsync(
                HttpMethod.Post,
                "robots",
                new { name = robot, identityProvider = parse.GetValue(idp), rules = parsedRules, permissions, secret = parse.GetValue(secret) },
                r => Console.WriteLine(r.Json.TryGetProperty("secret", out var s)
                    ? $"robot {robot} created; its secret (shown once, store it now):{Environment.NewLine}{s.GetString()}"
                    : $"robot {robot} created"),
                null,
                ct);
        });
        return add;
    }

    private static Command Simple(string verb, string description, HttpMethod method, string? action, string done)
    {
        var name = AdminCommand.Name("robot name");
        var command = AdminCommand.Verb(verb, description, name);
        command.SetAction((parse, ct) =>
        {
            var robot = parse.GetValue(name)!;
            var path = $"robots/{Uri.EscapeDataString(robot)}" + (action is null ? string.Empty : "/" + action);
            return AdminCommand.RunAsync(method, path, null, null, $"robot {robot} {done}", ct);
        });
        return command;
    }
}
