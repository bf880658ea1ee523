namespace Berth.Configuration;

/// <summary>
/// The whole configuration: the YAML file given with <c>--config</c>, overridden by environment
/// variables <c>BERTH_SECTION__KEY</c>, overridden by command-line flags. Unknown keys stop start-up.
/// </summary>
public sealed class BerthSettings
{
    public ServerSettings Server { get; set; } = new();

    public StorageSettings Storage { get; set; } = new();

    public RegistrySettings Registry { get; set; } = new();

    public TokenSettings Tokens { get; set; } = new();

    public AuditSettings Audit { get; set; } = new();

    public TelemetrySettings Telemetry { get; set; } = new();

    public List<IdentityProviderSettings> IdentityProviders { get; set; } = [];

    public List<ProjectSettings> Projects { get; set; } = [];

    public List<RobotSettings> Robots { get; set; } = [];
}
