using System.CommandLine;
using Berth.Cli;
using Berth.Cli.Admin;

var root = new RootCommand("Berth: a container registry that trusts workloads, not secrets")
{
    ServeCommand.Create(),
    HashSecretCommand.Create(),
    ExplainCommand.Create(),
    KubeCommand.Create(),
    LoginCommand.Create(),
    TokenCommand.Create(),
    IdpCommand.Create(),
    ProjectCommand.Create(),
    RobotCommand.Create(),
    AuditCommand.Create(),
    RepoCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
