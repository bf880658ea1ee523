namespace Berth.Interop.Tests.QuickStart;

/// <summary>The checkout these tests were built from: the folder above the test binaries that holds Berth.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Berth.slnx above {AppContext.BaseDirectory}");
    }
}
