using Berth.Tests.Cli;

namespace Berth.Tests.Admin;

/// <summary>
/// A running <see cref="AdminRegistry"/> and the real <c>berth</c> executable pointed at it, with a config
/// home of its own (where <c>berth login</c> stores the admin token), so CLI tests never share a login.
/// </summary>
internal sealed class AdminCli : IAsyncDisposable
{
    private AdminCli(AdminRegistry admin, string home)
    {
        Admin = admin;
        Home = home;
    }

    public AdminRegistry Admin { get; }

    /// <summary>A scratch folder: <c>XDG_CONFIG_HOME</c> of every run, free for the test's own files too.</summary>
    public string Home { get; }

    /// <param name="editConfig">As for <see cref="AdminRegistry.StartAsync"/>.</param>
    public static async Task<AdminCli> StartAsync(Func<string, string>? editConfig = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "berth-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        return new AdminCli(await AdminRegistry.StartAsync(editConfig), home);
    }

    public Task<(int ExitCode, string Output, string Error)> RunAsync(string? stdin, params string[] args) => RunWithEnvironmentAsync(null, stdin, args);

    /// <param name="environment">Added to the run's environment; <c>KUBECONFIG</c> is empty unless given, so the machine's own is never read.</param>
    public Task<(int ExitCode, string Output, string Error)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var all = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Home };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }

        all.TryAdd("KUBECONFIG", string.Empty);
        return BerthProcess.RunWithEnvironmentAsync(all, stdin, args);
    }

    /// <summary><c>berth login URL --username admin --password-stdin</c>, which must succeed.</summary>
    public async Task LoginAsync()
    {
        var login = await RunAsync(AdminRegistry.Password, "login", Admin.Registry.BaseAddress.ToString(), "--username", "admin", "--password-stdin");
        Assert.True(login.ExitCode == 0, login.Error);
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }
}
