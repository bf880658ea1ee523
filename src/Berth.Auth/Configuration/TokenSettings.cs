namespace Berth.Configuration;

/// <summary>Berth's own registry tokens (<c>tokens:</c>).</summary>
public sealed record TokenSettings
{
    /// <summary>Lifetime of a registry token; never beyond the workload token or refresh token that bought it.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>PEM file with the EC P-256 signing key; generated under the data folder when not set. Relative as <see cref="StorageSettings.DataDir"/>.</summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>Token requests allowed per client IP per minute (0 = no limit); more answer 429.</summary>
    public int RateLimitPerClientIp { get; init; } = 600;

    /// <summary>Longest a key-sync token may live (<c>exp − iat</c>); at most this, whatever the provider allows for logins.</summary>
    public static readonly TimeSpan MaxKeySyncTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The audience a key-sync token must carry (and a login token never does): distinct from every
    /// identity provider's audiences, so no login token can replace keys.
    /// </summary>
    public string KeySyncAudience { get; init; } = "berth-key-sync";

    /// <summary>Token requests allowed per workload (issuer + subject) per minute (0 = no limit); more answer 429.</summary>
    public int RateLimitPerSubject { get; init; } = 300;
}
