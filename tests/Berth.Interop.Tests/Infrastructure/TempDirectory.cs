namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// A private directory under the system temp folder. Names stay short: podman refuses a
/// run root longer than 50 characters. Removal first makes everything owner-writable:
/// vfs storage of podman and buildah leaves read-only directories.
/// </summary>
internal sealed class TempDirectory : IAsyncDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string prefix)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }
        await Command.RunAsync("chmod", ["-R", "u+w", Path], null, TimeSpan.FromMinutes(1), CancellationToken.None);
        Directory.Delete(Path, recursive: true);
    }
}
