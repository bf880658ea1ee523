using System.CommandLine;
using Amazon.Runtime;
using Amazon.S3;
using Berth.Configuration;
using Berth.Hosting;
using Berth.Registry.Blobs;
using Berth.Storage.S3;

namespace Berth.Cli;

/// <summary>
/// <c>berth storage migrate --from filesystem --to s3</c>: copies the data folder's blobs into the bucket
/// the configuration names (the work is <see cref="BlobMigration"/>'s; docs/scale-out.md#moving-from-one-machine-to-s3).
/// </summary>
internal static class StorageCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "where the blobs are now: filesystem (the data folder)", Required = true };
        var to = new Option<string>("--to") { Description = "where they go: s3 (the storage.s3 bucket of the configuration)", Required = true };
        var data = new Option<string?>("--data") { Description = "the data folder holding blobs/ (default ./data, or storage.dataDir)" };
        var config = new Option<string?>("--config") { Description = "YAML configuration file with storage.blobs: s3 and the storage.s3 keys, as given to berth serve" };
        var migrate = new Command("migrate", "Copy every blob of the data folder into the S3 bucket, verifying each digest; run it again to resume") { from, to, data, config };
        migrate.SetAction((parse, cancellationToken) => MigrateAsync(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(data), parse.GetValue(config), cancellationToken));
        return new Command("storage", "Blob storage maintenance") { migrate };
    }

    private static async Task<int> MigrateAsync(string from, string to, string? data, string? config, CancellationToken cancellationToken)
    {
        if (from != StorageSettings.FileSystemBlobs || to != StorageSettings.S3Blobs)
        {
            await Console.Error.WriteLineAsync($"berth storage migrate: only --from {StorageSettings.FileSystemBlobs} --to {StorageSettings.S3Blobs} is supported, got --from {from} --to {to}");
            return ExitCodes.Usage;
        }

        var overrides = new Dictionary<string, string?>();
        if (data is not null)
        {
            overrides["storage:dataDir"] = data;
        }

        try
        {
            var storage = ConfigurationLoader.Load(config, overrides).Storage;
            if (!storage.UsesS3)
            {
                await Console.Error.WriteLineAsync("berth storage migrate: the configuration must name the target: set storage.blobs: s3 and the storage.s3 keys (bucket, endpoint…)");
                return ExitCodes.Usage;
            }

            var blobs = Path.Combine(Path.GetFullPath(storage.DataDir), "blobs");
            if (!Directory.Exists(blobs))
            {
                await Console.Error.WriteLineAsync($"berth storage migrate: {blobs} does not exist (give the data folder with --data)");
                return ExitCodes.Error;
            }

            await Console.Out.WriteLineAsync($"copying {blobs} to {BlobStoreRegistration.Describe(storage)}");
            var source = new FileSystemBlobStore(Path.GetFullPath(storage.DataDir), TimeProvider.System);
            using var s3 = S3ClientFactory.Create(BlobStoreRegistration.ToConnection(storage.S3));
            var result = await new BlobMigration(s3, BlobStoreRegistration.ToOptions(storage.S3), TimeProvider.System, Console.Out)
                .RunAsync(source, source, cancellationToken);
            return result.Failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
        }
        catch (Exception e) when (e is ConfigurationException or IOException or UnauthorizedAccessException or AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"berth storage migrate: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
