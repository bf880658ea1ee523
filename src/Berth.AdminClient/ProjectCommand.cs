using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary><c>berth project add NAME [--public] | list | remove NAME</c>.</summary>
internal static class ProjectCommand
{
    public static Command Create()
    {
        var addName = AdminCommand.Name("project name, e.g. library");
        var isPublic = new Option<bool>("--public") { Description = "anyone may pull without credentials" };
        var add = AdminCommand.Verb("add", "Create a project", addName, isPublic);
        add.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Post, "projects", new { name = parse.GetValue(addName), @public = parse.GetValue(isPublic) }, null, $"project {parse.GetValue(addName)} created", ct));

        var output = Output.Option();
        var list = AdminCommand.Verb("list", "List projects", output);
        list.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Get, "projects", null, r => Output.Write(parse.GetValue(output)!, r.Json, "name", "public", "managedBy"), null, ct));

        var removeName = AdminCommand.Name("project name");
        var remove = AdminCommand.Verb("remove", "Delete a project (refused while robots grant access to it)", removeName);
        remove.SetAction((parse, ct) => AdminCommand.RunAsync(HttpMethod.Delete, $"projects/{Uri.EscapeDataString(parse.GetValue(removeName)!)}", null, null, $"project {parse.GetValue(removeName)} removed", ct));

        return new Command("project", "Projects: the first path component of repository names") { add, list, remove };
    }
}
