using System.CommandLine;
using Berth.Cli;
using Berth.Cli.Admin;

var root = new RootCommand("Berth: a container registry that trusts workloads, not secrets")
{
    ServeCommand.Create(),
    HealthCommand.Create(),
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
    GcCommand.Create(),
    BackupCommand.Create(),
    BackupCommand.CreateRestore(),
    StorageCommand.Create(),
};
var parsed = root.Parse(args);
var exit = await parsed.InvokeAsync();

// System.CommandLine prints the parse errors with the verb's usage and exits 1; a usage error is 2 (0 ok, 1 error, 2 usage).
return parsed.Errors.Count > 0 ? ExitCodes.Usage : exit;
