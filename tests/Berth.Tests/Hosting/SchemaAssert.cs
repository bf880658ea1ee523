namespace Berth.Tests.Hosting;

internal static class SchemaAssert
{
    /// <summary>Exit 1, one <c>berth:</c> line on stderr starting with <paramref name="expected"/>, no stack trace anywhere.</summary>
    public static void RefusedInOneLine((int ExitCode, string Output, string Error) run, string expected)
    {
        var all = run.Output + run.Error;
        Assert.True(run.ExitCode == 1, all);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
    }
}
