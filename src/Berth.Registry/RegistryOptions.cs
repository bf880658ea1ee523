namespace Berth.Registry;

/// <summary>Limits and timings of the registry core.</summary>
public sealed record RegistryOptions
{
    /// <summary>Largest manifest accepted; the spec asks for at least 4 MB.</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Upload sessions idle longer than this are removed with their staged bytes.</summary>
    public TimeSpan UploadExpiry { get; init; } = TimeSpan.FromHours(1);
}
