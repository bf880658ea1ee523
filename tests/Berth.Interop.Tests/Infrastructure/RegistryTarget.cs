namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// Which server the interop tests start. Berth by default; setting
/// <c>INTEROP_TARGET=distribution</c> (not a <c>BERTH_</c> variable: berth refuses
/// unknown <c>BERTH_*</c> keys) runs the same tests against Debian's CNCF
/// distribution (`docker-registry`), which shows whether a failure is Berth's or the test's.
/// </summary>
internal enum RegistryTarget
{
    Berth,
    Distribution,
}

internal static class RegistryTargets
{
    public static RegistryTarget Current =>
        string.Equals(Environment.GetEnvironmentVariable("INTEROP_TARGET"), "distribution", StringComparison.OrdinalIgnoreCase)
            ? RegistryTarget.Distribution
            : RegistryTarget.Berth;
}
