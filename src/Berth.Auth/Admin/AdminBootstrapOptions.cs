namespace Berth.Auth.Admin;

/// <summary>
/// The bootstrap administrator's password from <c>BERTH_ADMIN_PASSWORD</c> (not a configuration key:
/// it has no <c>__</c> section separator). Null: generate one on first start and print it once.
/// </summary>
internal sealed record AdminBootstrapOptions(string? Password)
{
    public const string EnvironmentVariable = "BERTH_ADMIN_PASSWORD";
    public const string Username = "admin";

    /// <summary>Shorter passwords are refused at start-up: throttling slows guessing, it cannot save "admin123".</summary>
    public const int MinimumPasswordLength = 12;

    public static AdminBootstrapOptions FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } password ? password : null);
}
