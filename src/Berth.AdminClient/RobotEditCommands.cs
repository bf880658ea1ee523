using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot rules NAME --rule …</c>, <c>permissions NAME --allow …</c> and <c>rotate-secret NAME</c>:
/// edits of an existing robot. Rules and permissions are replaced as a whole list, never merged, so
/// what the command line says is exactly what the robot holds afterwards.
/// </summary>
internal static class RobotEditCommands
{
    public static Command Rules()
    {
        var name = AdminCommand.Name("robot name");
        var rules = new Option<string[]>("--rule") { Description = "claim rule, repeatable, replacing all current rules: claim=value, claim~glob, claim=~regex, 'claim in a,b'" };
        var command = AdminCommand.Verb("rules", "Replace a federated robot's claim rules (its refresh tokens die with the old rules)", name, rules);
        command.SetAction(async (parse, ct) =>
        {
            var texts = parse.GetValue(rules) ?? [];

            // Required is checked here, not by the parser, so a missing --rule exits 2 (usage) like bad syntax.
            var (parsed, problem) = texts.Length == 0
                ? (null, "give at least one --rule: a robot without rules never matches (disable it instead: berth robot disable NAME)")
                : RuleText.ParseRules(texts);
            return parsed is null
                ? await UsageAsync("rules", problem!)
                : await ReplaceAsync(parse.GetValue(name)!, "rules", parsed, $"{parsed.Count} rule{(parsed.Count == 1 ? string.Empty : "s")}", ct);
        });
        return command;
    }

    public static Command Permissions()
    {
        var name = AdminCommand.Name("robot name");
        var allows = new Option<string[]>("--allow") { Description = "permission, repeatable, replacing all current permissions: actions:project/repository-glob, e.g. pull,push:library/app/**" };
        var command = AdminCommand.Verb("permissions", "Replace a robot's permissions", name, allows);
        command.SetAction(async (parse, ct) =>
        {
            var texts = parse.GetValue(allows) ?? [];
            var (parsed, problem) = texts.Length == 0
                ? (null, "give at least one --allow, e.g. --allow 'pull:library/**' (to stop a robot: berth robot disable NAME)")
                : RuleText.ParseAllows(texts);
            return parsed is null
                ? await UsageAsync("permissions", problem!)
                : await ReplaceAsync(parse.GetValue(name)!, "permissions", parsed, $"{parsed.Count} permission{(parsed.Count == 1 ? string.Empty : "s")}", ct);
        });
        return command;
    }

    public static Command RotateSecret()
    {
        var name = AdminCommand.Name("classic robot name");
        var command = AdminCommand.Verb("rotate-secret", "Give a classic robot a new secret (printed once); the old one stops working at once", name);
        command.SetAction((parse, ct) =>
        {
            var robot = parse.GetValue(name)!;
            return AdminCommand.RunAsync(
                HttpMethod.Post,
                $"robots/{Uri.EscapeDataString(robot)}/rotate-secret",
                null,
                r => Console.WriteLine($"robot {robot}: secret rotated; the new secret (shown once, store it now):{Environment.NewLine}{r.Json.GetProperty("secret").GetString()}"),
                null,
                ct);
        });
        return command;
    }

    private static Task<int> ReplaceAsync(string robot, string what, List<object> body, string count, CancellationToken cancellationToken) =>
        AdminCommand.RunAsync(HttpMethod.Put, $"robots/{Uri.EscapeDataString(robot)}/{what}", body, null, $"robot {robot}: {what} replaced ({count})", cancellationToken);

    private static async Task<int> UsageAsync(string verb, string problem)
    {
        await Console.Error.WriteLineAsync($"berth robot {verb}: {problem}");
        return ExitCodes.Usage;
    }
}
