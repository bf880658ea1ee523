using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth gc [--dry-run] [--delete-untagged] [--output table|json|yaml]</c>: one garbage collection run on the server.</summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "report what would be removed; remove nothing" };
        var deleteUntagged = new Option<bool>("--delete-untagged") { Description = "also remove manifests that no tag, index or subject holds" };
        var output = Output.Option();
        var command = AdminCommand.Verb(
            "gc",
            "Collect garbage now: blobs, links (and with --delete-untagged, manifests) that nothing references, older than registry.gcGracePeriod",
            dryRun,
            deleteUntagged,
            output);
        command.SetAction((parse, ct) => AdminCommand.RunAsync(
            HttpMethod.Post,
            $"gc?dryRun={(parse.GetValue(dryRun) ? "true" : "false")}&deleteUntagged={(parse.GetValue(deleteUntagged) ? "true" : "false")}",
            null,
            r => Output.Write(parse.GetValue(output)!, r.Json, "dryRun", "manifestsDeleted", "linksRemoved", "blobsDeleted", "bytesFreed", "truncated", "durationMs"),
            null,
            ct));
        return command;
    }
}
