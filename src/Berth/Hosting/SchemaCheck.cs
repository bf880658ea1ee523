using System.Data.Common;
using Berth.Configuration;
using Berth.Data;

namespace Berth.Hosting;

/// <summary>
/// What <c>berth serve --check-config</c> says about the metadata schema: up to date, the migrations the
/// next start applies, or a schema newer than this binary (which would refuse to start). Reads only.
/// </summary>
internal static class SchemaCheck
{
    /// <returns>False when the schema is newer than this Berth knows: the server would not start.</returns>
    public static async Task<bool> ReportAsync(MetadataStores metadata, StorageSettings storage, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var store = MetadataStoreRegistration.Describe(storage);
        SchemaStatus status;
        try
        {
            status = await metadata.ReadSchemaStatusAsync(cancellationToken);
        }
        catch (DbException e)
        {
            // The configuration may be checked where the database is not reachable (a CI job, an image build).
            await error.WriteLineAsync($"berth: warning: metadata schema not checked: cannot open the metadata store {store}: {e.Message}");
            return true;
        }

        if (status.IsNewer)
        {
            await error.WriteLineAsync($"berth: {new SchemaTooNewException(metadata.Target, status.Applied, status.Known).Message}");
            return false;
        }

        if (status.Pending.Count == 0)
        {
            await output.WriteLineAsync($"metadata schema: up to date (version {status.Applied}) in {store}");
        }
        else
        {
            var where = status.Exists ? $"version {status.Applied} of {status.Known}" : "new database";
            await output.WriteLineAsync($"metadata schema: {where} in {store}; {status.Pending.Count} pending migration(s), applied at the next start: {string.Join(", ", status.Pending)}");
        }

        return true;
    }
}
