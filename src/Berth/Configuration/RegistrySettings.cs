namespace Berth.Configuration;

public sealed class RegistrySettings
{
    /// <summary>Largest manifest accepted, in bytes (the spec asks for at least 4 MB).</summary>
    public int MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Upload sessions idle longer than this are removed with their staged bytes.</summary>
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often idle upload sessions are looked for.</summary>
    public TimeSpan UploadSweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
