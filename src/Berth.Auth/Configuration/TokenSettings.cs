namespace Berth.Configuration;

/// <summary>Berth's own registry tokens (<c>tokens:</c>).</summary>
public sealed class TokenSettings
{
    /// <summary>Lifetime of a registry token; never beyond the workload token or refresh token that bought it.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PEM file with the EC P-256 signing key; generated under the data folder when not set. Relative as <see cref="StorageSettings.DataDir"/>.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Token requests allowed per client IP per minute (0 = no limit); more answer 429.</summary>
    public int RateLimitPerClientIp { get; set; } = 600;

    /// <summary>Token requests allowed per workload (issuer + subject) per minute (0 = no limit); more answer 429.</summary>
    public int RateLimitPerSubject { get; set; } = 300;
}
