namespace Berth.Access.Tokens;

/// <summary>How Berth's registry tokens are issued and checked.</summary>
public sealed record RegistryTokenOptions
{
    /// <summary>The <c>iss</c>: Berth's public URL, distinct from every workload issuer.</summary>
    public required string Issuer { get; init; }

    /// <summary>The <c>aud</c>: the registry service name of the challenge (<c>service=</c>), a single string.</summary>
    public required string Audience { get; init; }

    /// <summary>Default token lifetime; a token never outlives the credential that bought it.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Leeway on <c>exp</c>/<c>nbf</c> when verifying, for clock differences between replicas.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a signed token may be handed out again to a caller asking for exactly the same claims
    /// (<see cref="RecentRegistryTokens"/> says why that is safe); zero signs every token afresh. At most a
    /// tenth of <see cref="Lifetime"/>.
    /// </summary>
    public TimeSpan ReuseWindow { get; init; } = TimeSpan.Zero;
}
