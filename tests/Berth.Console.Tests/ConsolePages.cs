namespace Berth.Console.Tests;

/// <summary>Each console page a signed-in administrator reaches, with the heading it shows once loaded.</summary>
internal static class ConsolePages
{
    public static readonly IReadOnlyList<(string Route, string Heading)> All =
    [
        ("#/overview", "Overview"),
        ("#/identity-providers", "Identity providers"),
        ("#/identity-providers/new", "Add identity provider"),
        ("#/projects", "Projects"),
        ("#/robots/new", "New robot"),
        ("#/identity-providers/github", "Identity provider github"),
        ("#/robots", "Robots"),
        ("#/robots/ci-push", "Robot ci-push"),
        ("#/repositories", "Repositories"),
        ("#/audit", "Audit log"),
        ("#/explain", "Explain"),
        ("#/troubleshooting/no_robot_matched", "Troubleshooting: no_robot_matched"),
    ];
}
