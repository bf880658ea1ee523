namespace Berth.Auth;

/// <summary>The kinds of federation objects the admin API manages; also the store's document kinds.</summary>
internal static class ObjectKinds
{
    public const string IdentityProvider = "identity-provider";
    public const string Project = "project";
    public const string Robot = "robot";

    /// <summary>Keys sent by a cluster through key sync; they replace an identity provider's static JWKS (see <see cref="SyncedJwks"/>).</summary>
    public const string SyncedJwks = "identity-provider-jwks";
}
