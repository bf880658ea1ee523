namespace Berth.Console.Tests;

/// <summary>Each console page a signed-in administrator reaches, with the heading it shows once loaded.</summary>
internal static class ConsolePages
{
    public static readonly IReadOnlyList<(string Route, string Heading)> All =
    [
        ("#/identity-providers", "Identity providers"),
        ("#/identity-providers/github", "Identity provider github"),
        ("#/robots", "Robots"),
        ("#/robots/ci-push", "Robot ci-push"),
        ("#/audit", "Audit log"),
        ("#/explain", "Explain"),
    ];
}
