using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot add NAME --idp IDP --rule … --allow …</c> (federated) or <c>add NAME --secret --allow …</c>
/// (classic; prints the secret once), <c>list | show NAME | lint [NAME] | disable NAME | enable NAME | remove NAME</c>, and the
/// edits in <see cref="RobotEditCommands"/>: <c>rules NAME</c>, <c>permissions NAME</c>, <c>rotate-secret NAME</c>.
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
            r =>
            {
                if (parse.GetValue(showOutput) is "table")
                {
                    RobotText.Write(r.Json);
                }
                else
                {
                    Output.Write(parse.GetValue(showOutput)!, r.Json);
                }
            },
            null,
            ct));

        return new Command("robot", "Robot accounts: federated (identity provider and claim rules) or classic (a secret)")
        {
            Add(),
            list,
            show,
            RobotEditCommands.Rules(),
            RobotEditCommands.Permissions(),
            RobotEditCommands.RotateSecret(),
            RobotLintCommand.Create(),
            Simple("enable", "Enable a robot", HttpMethod.Post, "enable", "enabled"),
            Simple("disable", "Disable a robot: its registry and refresh tokens stop working at once", HttpMethod.Post, "disable", "disabled"),
            Simple("remove", "Delete a robot", HttpMethod.Delete, null, "removed"),
        };
    }

    private static Command Add()
    {
        var name = new Argument<string?>("NAME") { Description = "robot name, e.g. ci-push (a preset names it after its target)", Arity = ArgumentArity.ZeroOrOne };
        var idp = new Option<string?>("--idp") { Description = "identity provider whose tokens this robot trusts" };
        var rules = new Option<string[]>("--rule") { Description = "claim rule, repeatable: claim=value, claim~glob, claim=~regex, 'claim in a,b'" };
        var allows = new Option<string[]>("--allow") { Description = "permission, repeatable: actions:project/repository-glob, e.g. pull,push:library/app/**; or jwks-sync (key sync for the robot's identity provider)", Required = true };
        var secret = new Option<bool>("--secret") { Description = "a classic robot with a generated secret (printed once) instead of an identity provider" };
        var preset = new Option<string[]>("--preset") { Description = "KIND TARGET: github-repo OWNER/REPO, gitlab-project GROUP/PROJECT or kubernetes-serviceaccount NAMESPACE/NAME", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
        var ownerId = new Option<string?>("--owner-id") { Description = "github-repo: the owner's immutable id (repository_owner_id)" };
        var repositoryId = new Option<string?>("--repository-id") { Description = "github-repo: the repository's immutable id (repository_id)" };
        var projectId = new Option<string?>("--project-id") { Description = "gitlab-project: the project's immutable id (project_id)" };
        var namespaceId = new Option<string?>("--namespace-id") { Description = "gitlab-project: the group's immutable id (namespace_id)" };
        var audience = new Option<string?>("--audience") { Description = "kubernetes-serviceaccount: the audience the kubelet requests" };
        var add = AdminCommand.Verb("add", "Create a robot", name, idp, rules, allows, secret, preset, ownerId, repositoryId, projectId, namespaceId, audience);
        add.SetAction(async (parse, ct) =>
        {
            var presetRules = new List<string>();
            var robotName = parse.GetValue(name);
            var identityProvider = parse.GetValue(idp);
            if (parse.GetValue(preset) is [var kind, var target])
            {
                var ids = new RobotPresets.Ids(parse.GetValue(ownerId), parse.GetValue(repositoryId), parse.GetValue(projectId), parse.GetValue(namespaceId), parse.GetValue(audience));
                var (built, problem) = RobotPresets.Build(kind, target, ids);
                if (built is null || parse.GetValue(secret))
                {
                    await Console.Error.WriteLineAsync("berth robot add: " + (problem ?? "a preset robot is federated: drop --secret"));
                    return ExitCodes.Usage;
                }

                robotName ??= built.Name;
                identityProvider ??= built.IdentityProvider;
                presetRules.AddRange(built.Rules);
            }

            if (robotName is null || parse.GetValue(secret) == (identityProvider is not null))
            {
                await Console.Error.WriteLineAsync("berth robot add: give NAME and either --idp IDP with --rule (federated) or --secret (classic), or a --preset");
                return ExitCodes.Usage;
            }

            var parsedRules = new List<object>();
            foreach (var text in presetRules.Concat(parse.GetValue(rules) ?? []))
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

            var robot = robotName;
            return await AdminCommand.RunAsync(
                HttpMethod.Post,
                "robots",
                new { name = robot, identityProvider, rules = parsedRules, permissions, secret = parse.GetValue(secret) },
                r =>
                {
                    Console.WriteLine(r.Json.TryGetProperty("secret", out var s)
                        ? $"robot {robot} created; its secret (shown once, store it now):{Environment.NewLine}{s.GetString()}"
                        : $"robot {robot} created");
                    RobotLintCommand.WriteWarnings(r.Json);
                },
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
