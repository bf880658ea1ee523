using Berth.Access.Admin;
using Berth.Access.Refresh;

namespace Berth.Auth.Admin;

/// <summary>
/// Makes sure the administrator can log in: the password from <c>BERTH_ADMIN_PASSWORD</c> replaces the
/// stored hash at every start; without it, the first start generates a password and prints it once.
/// </summary>
internal sealed class AdminBootstrap(AdminBootstrapOptions options, IAdminCredentialStore store, ILogger<AdminBootstrap> logger)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (options.Password is { } password)
        {
            if (password.Length < AdminBootstrapOptions.MinimumPasswordLength)
            {
                throw new Berth.Configuration.ConfigurationException(
                    $"{AdminBootstrapOptions.EnvironmentVariable} is {password.Length} characters long: choose at least {AdminBootstrapOptions.MinimumPasswordLength} (the admin API is reachable by anyone who reaches the registry)");
            }

            await store.SetAdminPasswordHashAsync(AdminPasswordHasher.Hash(password), cancellationToken);
            logger.LogInformation("administrator login taken from {Variable}", AdminBootstrapOptions.EnvironmentVariable);
            return;
        }

        if (await store.GetAdminPasswordHashAsync(cancellationToken) is not null)
        {
            return;
        }

        var generated = SecretHasher.Generate()[SecretHasher.Prefix.Length..];
        var hash = AdminPasswordHasher.Hash(generated);
        if (await store.SetAdminPasswordHashIfMissingAsync(hash, cancellationToken) == hash)
        {
            // The one deliberate exception to "never log a secret": there is no other channel on first start.
            logger.LogWarning(
                "generated administrator password (shown once; log in with `berth login URL --username admin --password-stdin`, then create tokens; set {Variable} to choose it): {Password}",
                AdminBootstrapOptions.EnvironmentVariable,
                generated);
        }
    }
}
