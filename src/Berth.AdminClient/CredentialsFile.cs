using System.Text.Json;

namespace Berth.Cli.Admin;

/// <summary>
/// Where <c>berth login</c> keeps the server URL and admin token: <c>$XDG_CONFIG_HOME/berth/credentials.json</c>
/// (else <c>~/.config/berth/</c>), readable by the user only (0600).
/// </summary>
internal sealed record CredentialsFile(string Url, string Token, string TokenName)
{
    public static string Path
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(root, "berth", "credentials.json");
        }
    }

    public static async Task<CredentialsFile?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        await using var stream = File.OpenRead(Path);
        return await JsonSerializer.DeserializeAsync<CredentialsFile>(stream, AdminJson.Options, cancellationToken);
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.Delete(Path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(Path, options);
        await JsonSerializer.SerializeAsync(stream, this, AdminJson.Options, cancellationToken);
    }
}
