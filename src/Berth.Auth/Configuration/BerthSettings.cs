namespace Berth.Configuration;

/// <summary>
/// The whole configuration: the YAML file given with <c>--config</c>, overridden by environment
/// variables <c>BERTH_SECTION__KEY</c>, overridden by command-line flags. Unknown keys stop start-up.
/// </summary>
public sealed record BerthSettings
{
    public ServerSettings Server { get; init; } = new();

    public StorageSettings Storage { get; init; } = new();

    public RegistrySettings Registry { get; init; } = new();

    public TokenSettings Tokens { get; init; } = new();

    public AuditSettings Audit { get; init; } = new();

    public TelemetrySettings Telemetry { get; init; } = new();

    public List<IdentityProviderSettings> IdentityProviders { get; init; } = [];

    public List<ProjectSettings> Projects { get; init; } = [];

    public List<RobotSettings> Robots { get; init; } = [];
}
