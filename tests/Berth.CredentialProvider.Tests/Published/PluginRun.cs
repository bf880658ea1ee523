namespace Berth.CredentialProvider.Tests.Published;

/// <summary>What one run of the plugin left: exit code, stdout, stderr.</summary>
public sealed record PluginRun(int ExitCode, string Stdout, string Stderr);
