using System.CommandLine;
using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot lint [NAME] [--output table|json|yaml]</c>: the server's lint warnings for every robot
/// or one. Exit 0 when clean and 1 when there are warnings, so a CI job can gate on it; and the lines
/// <c>berth robot add</c> prints to stderr when the robot it created has warnings.
/// </summary>
internal static class RobotLintCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "a robot; every robot when omitted", Arity = ArgumentArity.ZeroOrOne };
        var output = Output.Option();
        var lint = AdminCommand.Verb("lint", "Warn about robots that work but probably allow more than meant; exits 1 when there are warnings", name, output);
        lint.SetAction(async (parse, ct) =>
        {
            using var client = await AdminClient.FromLoginAsync(ct);
            if (client is null)
            {
                return ExitCodes.Error;
            }

            var robot = parse.GetValue(name);
            var response = await client.SendAsync(HttpMethod.Get, robot is null ? "robots/lint" : $"robots/{Uri.EscapeDataString(robot)}/lint", null, ct);
            if (!response.Ok)
            {
                return await response.FailAsync();
            }

            var format = parse.GetValue(output)!;
            var count = response.Json.GetArrayLength();
            if (count == 0 && format == "table")
            {
                Console.WriteLine(robot is null ? "no lint warnings" : $"robot {robot}: no lint warnings");
            }
            else
            {
                Output.Write(format, response.Json, "robot", "code", "message");
            }

            return count == 0 ? ExitCodes.Ok : ExitCodes.Error;
        });
        return lint;
    }

    /// <summary>Writes a robot view's <c>warnings</c>, one <c>warning: CODE: MESSAGE</c> line each, to stderr.</summary>
    public static void WriteWarnings(JsonElement robot)
    {
        if (robot.ValueKind != JsonValueKind.Object || !robot.TryGetProperty("warnings", out var warnings))
        {
            return;
        }

        foreach (var warning in warnings.EnumerateArray())
        {
            Console.Error.WriteLine($"warning: {warning.GetProperty("code").GetString()}: {warning.GetProperty("message").GetString()}");
        }
    }
}
