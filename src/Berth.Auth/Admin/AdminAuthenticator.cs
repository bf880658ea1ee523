using Berth.Access.Admin;

namespace Berth.Auth.Admin;

/// <summary>
/// Admin credentials only: <c>Bearer berth_at_…</c> (an admin token, not expired) or Basic
/// <c>admin:password</c>. Registry tokens, workload JWTs and robot secrets are never admin credentials.
/// </summary>
internal sealed class AdminAuthenticator(IAdminCredentialStore store, TimeProvider time)
{
    /// <returns>The administrator, or null with the reason to show.</returns>
    public async Task<(AdminIdentity? Admin, string? Failure)> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return (null, "admin credentials required: send Authorization: Bearer berth_at_… (berth login) or Basic admin:password");
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            if (!token.StartsWith(AdminTokens.Prefix, StringComparison.Ordinal))
            {
                return (null, "not an admin token: registry tokens and workload tokens are not admin credentials");
            }

            var record = await store.FindAdminTokenAsync(AdminTokens.Hash(token), cancellationToken);
            if (record is null)
            {
                return (null, "unknown or revoked admin token: run berth login again");
            }

            if (record.ExpiresAt is { } expires && expires <= time.GetUtcNow())
            {
                return (null, $"admin token '{record.Name}' expired at {expires:u}: run berth login again");
            }

            return (new AdminIdentity(record.Name), null);
        }

        if (BasicCredentials.TryParse(authorization, out var username, out var password))
        {
            var hash = await store.GetAdminPasswordHashAsync(cancellationToken);
            if (username != AdminBootstrapOptions.Username || hash is null || !AdminPasswordHasher.Verify(password, hash))
            {
                return (null, "wrong administrator username or password");
            }

            return (new AdminIdentity(AdminBootstrapOptions.Username), null);
        }

        return (null, "unsupported Authorization header: use Bearer berth_at_… or Basic admin:password");
    }
}
