using System.Diagnostics;

namespace Berth.Tests.Faults;

/// <summary>
/// A real file system that fills up: a tmpfs of a few MiB mounted on a temporary folder (the tests run
/// as root in CI), unmounted and removed on dispose. Writes past its size fail with ENOSPC as a full
/// disk's do.
/// </summary>
internal sealed class SmallFileSystem : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private SmallFileSystem(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes still free, as statfs reports them.</summary>
    public long AvailableBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static async Task<SmallFileSystem> MountAsync(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("berth-full-").FullName;
        try
        {
            await RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path]);
        }
        catch (InvalidOperationException e)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                "the disk-full fault test mounts a small tmpfs and could not (it needs root or CAP_SYS_ADMIN, as ./test.sh has in CI): " + e.Message, e);
        }

        return new SmallFileSystem(path);
    }

    public async ValueTask DisposeAsync()
    {
        // Lazy: a file the server still holds open must not keep the mount (and the test) hanging.
        await RunAsync("umount", ["-l", Path]);
        Directory.Delete(Path);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }
    }
}
