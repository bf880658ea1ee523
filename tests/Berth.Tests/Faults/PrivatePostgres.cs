using System.Diagnostics;
using Berth.Tests.Hosting;
using Npgsql;

namespace Berth.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of one test's own, so it can be stopped and started under load without
/// disturbing the server every other test shares (<c>BERTH_TEST_POSTGRES</c>): initdb into a temporary
/// folder, listening on 127.0.0.1 at a free port with its socket in that folder, durability off. As
/// root (CI), the cluster belongs to the <c>postgres</c> user, since initdb refuses root.
/// </summary>
/// <remarks>
/// The binaries come from Debian's package (<c>/usr/lib/postgresql/N/bin</c>), which ./test.sh installs.
/// Without them the test fails with directions rather than skip.
/// </remarks>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string bin;
    private readonly string folder;
    private readonly string? runAs;

    private PrivatePostgres(string bin, string folder, string? runAs, int port)
    {
        this.bin = bin;
        this.folder = folder;
        this.runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Trust authentication on loopback: the cluster lives for one test and listens on 127.0.0.1 only.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "berth",
        Database = "postgres",
    }.ConnectionString;

    private string DataDirectory => Path.Combine(folder, "data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "this fault test starts a PostgreSQL cluster of its own and found no /usr/lib/postgresql/N/bin/initdb: " +
                "apt-get install postgresql (./test.sh does), or leave the test out with --filter \"Category!=Postgres\".");
        }

        var folder = Directory.CreateTempSubdirectory("berth-pg-fault-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
        {
            await RunAsync("chown", [runAs, folder]);
        }

        var postgres = new PrivatePostgres(bin, folder, runAs, ServeProcess.FreePort());
        try
        {
            await postgres.RunToolAsync("initdb", ["-D", postgres.DataDirectory, "-U", "berth", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
            await postgres.StartServerAsync();
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }

        return postgres;
    }

    /// <summary><c>pg_ctl stop -m fast</c>: open sessions are terminated (admin_shutdown), as in a restart for an upgrade.</summary>
    public Task StopServerAsync() =>
        RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);

    public Task StartServerAsync() =>
        RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Not running (a failed start, or the test stopped it): nothing to stop.
        }

        Directory.Delete(folder, recursive: true);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        runAs is null
            ? RunAsync(Path.Combine(bin, tool), arguments)
            : RunAsync("runuser", ["-u", runAs, "--", Path.Combine(bin, tool), .. arguments]);

    /// <summary>Runs a command from <c>/</c> (the postgres user may not read the checkout), bounded by <see cref="CommandTimeout"/>.</summary>
    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
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
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
