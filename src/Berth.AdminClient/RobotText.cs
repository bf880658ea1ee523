using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth robot show NAME</c> for people: rules and permissions in the <c>--rule</c> and <c>--allow</c>
/// syntax users type, so a line can be copied into <c>berth robot rules</c> or <c>robot add</c>.
/// JSON and YAML output keep the API's shape for scripts.
/// </summary>
internal static class RobotText
{
    public static void Write(JsonElement robot)
    {
        Console.WriteLine($"name:                   {Text(robot, "name")}");
        Console.WriteLine($"kind:                   {Text(robot, "kind")}");
        if (robot.TryGetProperty("identityProvider", out var idp) && idp.ValueKind == JsonValueKind.String)
        {
            Console.WriteLine($"identity provider:      {idp.GetString()}");
        }

        Console.WriteLine($"enabled:                {Text(robot, "enabled")}");
        Console.WriteLine($"managed by:             {Text(robot, "managedBy")}");
        if (Text(robot, "kind") == "federated")
        {
            Console.WriteLine($"refresh token lifetime: {Text(robot, "refreshTokenLifetime")}");
            List("rules (--rule)", robot, "rules", RuleText.FormatRule);
        }

        List("permissions (--allow)", robot, "permissions", RuleText.FormatAllow);
    }

    private static void List(string title, JsonElement robot, string property, Func<JsonElement, string> format)
    {
        var items = robot.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : new List<JsonElement>();
        Console.WriteLine(items.Count == 0 ? $"{title}: none" : $"{title}:");
        foreach (var item in items)
        {
            Console.WriteLine("  " + format(item));
        }
    }

    private static string Text(JsonElement robot, string property) =>
        !robot.TryGetProperty(property, out var value) ? "-"
        : value.ValueKind == JsonValueKind.String ? value.GetString()!
        : value.GetRawText();
}
