namespace Berth.Access.Admin;

/// <summary>The bootstrap administrator's password hash and the admin API tokens, shared by every replica.</summary>
public interface IAdminCredentialStore
{
    Task<string?> GetAdminPasswordHashAsync(CancellationToken cancellationToken);

    /// <summary>Stores the hash unless one is already stored; returns the hash in effect (the first writer wins).</summary>
    Task<string> SetAdminPasswordHashIfMissingAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Replaces the stored hash (the password was set again through the environment).</summary>
    Task SetAdminPasswordHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>False when a token of that name exists.</summary>
    Task<bool> CreateAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken);

    Task<AdminTokenRecord?> FindAdminTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<AdminTokenRecord>> ListAdminTokensAsync(CancellationToken cancellationToken);

    Task<bool> DeleteAdminTokenAsync(string name, CancellationToken cancellationToken);
}
