namespace Berth.Kube;

/// <summary>
/// What the exchange bought: a Berth refresh token (bound to the matched robot) and what is known
/// about it. <see cref="RefreshExpiresAt"/> is null when the server did not say.
/// </summary>
internal sealed record RegistryCredential(string RefreshToken, Uri Realm, string Service, DateTimeOffset IssuedAt, DateTimeOffset? RefreshExpiresAt)
{
    /// <summary>Never print the token, even by accident through a record's generated ToString.</summary>
    public override string ToString() => $"refresh token for service {Service} issued {IssuedAt:u}";
}
