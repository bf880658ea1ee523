using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth repo list | tags REPOSITORY | delete-tag REPOSITORY TAG</c>.</summary>
internal static class RepoCommand
{
    public static Command Create()
    {
        var listOutput = Output.Option();
        var list = AdminCommand.Verb("list", "List repositories (the catalog)", listOutput);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "repositories", null, r => Output.Write(parse.GetValue(listOutput)!, r.Json, "name"), null, ct));

        var tagsRepository = Repository();
        var tagsOutput = Output.Option();
        var tags = AdminCommand.Verb("tags", "List a repository's tags", tagsRepository, tagsOutput);
        tags.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, $"repositories/{parse.GetValue(tagsRepository)}/tags", null, r => Output.Write(parse.GetValue(tagsOutput)!, r.Json.GetProperty("tags"), "name"), null, ct));

        var deleteRepository = Repository();
        var tag = new Argument<string>("TAG") { Description = "the tag to delete (the manifest stays reachable by digest)" };
        var deleteTag = AdminCommand.Verb("delete-tag", "Delete one tag of a repository", deleteRepository, tag);
        deleteTag.SetAction((parse, ct) => AdminCommand.RunAsync(
            HttpMethod.Delete,
            $"repositories/{parse.GetValue(deleteRepository)}/tags/{Uri.EscapeDataString(parse.GetValue(tag)!)}",
            null,
            null,
            $"tag {parse.GetValue(tag)} deleted from {parse.GetValue(deleteRepository)}",
            ct));

        return new Command("repo", "Repositories and tags") { list, tags, deleteTag };
    }

    // Repository names keep their slashes in the API path (library/app/web); the grammar allows nothing that needs escaping.
    private static Argument<string> Repository() => new("REPOSITORY") { Description = "repository name, e.g. library/app/web" };
}
