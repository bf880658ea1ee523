using System.CommandLine;
using Berth.Backups;
using Berth.Configuration;
using Microsoft.Data.Sqlite;

namespace Berth.Cli;

/// <summary>
/// <c>berth backup --to DIR</c> and <c>berth restore --from DIR</c>: the SQLite data folder's backup, taken
/// while the server runs (docs/operations.md#backups), and its restore into a new data folder.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "new (or empty) folder to write the backup to", Required = true };
        var metadataOnly = new Option<bool>("--metadata-only") { Description = "copy the metadata store only, not the blobs (e.g. when blobs are in S3)" };
        var (data, config) = StorageOptions();
        var command = new Command("backup", "Copy the SQLite metadata store and the blobs it references, while the registry keeps serving") { to, metadataOnly, data, config };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(config), parse.GetValue(data),
            settings => new DataFolderBackup(Console.Out).RunAsync(settings.Storage, parse.GetValue(to)!, parse.GetValue(metadataOnly), cancellationToken)));
        return command;
    }

    public static Command CreateRestore()
    {
        var from = new Option<string>("--from") { Description = "a folder written by berth backup", Required = true };
        var (data, config) = StorageOptions();
        var command = new Command("restore", "Put a backup into a data folder that has no metadata store yet (Berth stopped)") { from, data, config };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(config), parse.GetValue(data),
            settings => new DataFolderRestore(Console.Out).RunAsync(settings.Storage, parse.GetValue(from)!, cancellationToken)));
        return command;
    }

    private static (Option<string?> Data, Option<string?> Config) StorageOptions() =>
        (new Option<string?>("--data") { Description = "the data folder (default ./data, or storage.dataDir)" },
         new Option<string?>("--config") { Description = "YAML configuration file, as given to berth serve" });

    private static async Task<int> RunAsync(string? config, string? data, Func<BerthSettings, Task<BackupManifest>> run)
    {
        var overrides = new Dictionary<string, string?>();
        if (data is not null)
        {
            overrides["storage:dataDir"] = data;
        }

        try
        {
            await run(ConfigurationLoader.Load(config, overrides));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or BackupException or IOException or UnauthorizedAccessException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"berth: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
