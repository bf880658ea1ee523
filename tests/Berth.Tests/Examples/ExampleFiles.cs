namespace Berth.Tests.Examples;

/// <summary>Finds the repository's <c>examples/</c> folder and the files the example tests check.</summary>
internal static class ExampleFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string ExamplesFolder => Path.Combine(RepositoryRoot, "examples");

    /// <summary>Every YAML and JSON file under <c>examples/</c>, relative to it, with <c>/</c> separators.</summary>
    public static IReadOnlyList<string> StructuredFiles() =>
        Find(path => HasExtension(path, ".yaml", ".yml", ".json"));

    /// <summary>Every Berth configuration (<c>berth*.yaml</c>) under <c>examples/</c>.</summary>
    public static IReadOnlyList<string> BerthConfigs() =>
        Find(path => Path.GetFileName(path).StartsWith("berth", StringComparison.Ordinal) && HasExtension(path, ".yaml", ".yml"));

    /// <summary>
    /// Sample claim sets named <c>&lt;robot&gt;.claims.json</c>; each must match that robot of the
    /// <c>berth.yaml</c> beside it.
    /// </summary>
    public static IReadOnlyList<string> SampleClaims() =>
        Find(path => path.EndsWith(".claims.json", StringComparison.Ordinal));

    public static string FullPath(string relative) => Path.Combine(ExamplesFolder, relative.Replace('/', Path.DirectorySeparatorChar));

    // Hidden folders are not examples: the quick-start test (another test project, running at the
    // same time) copies examples/quick-start to examples/.quick-start-test-* and deletes it again.
    // Skipping hidden entries also keeps the walk out of that folder while it is being deleted.
    private static readonly EnumerationOptions VisibleFilesOnly = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden,
    };

    private static IReadOnlyList<string> Find(Func<string, bool> predicate)
    {
        var folder = ExamplesFolder;
        return Directory.EnumerateFiles(folder, "*", VisibleFilesOnly)
            .Where(predicate)
            .Select(path => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool HasExtension(string path, params string[] extensions) =>
        extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Berth.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} contains Berth.slnx");
    }
}
