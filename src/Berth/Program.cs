using System.CommandLine;
using Berth.Cli;

var root = new RootCommand("Berth: a container registry that trusts workloads, not secrets")
{
    ServeCommand.Create(),
    HashSecretCommand.Create(),
    ExplainCommand.Create(),
    KubeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
