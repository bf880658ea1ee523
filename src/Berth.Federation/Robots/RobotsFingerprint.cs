using System.Security.Cryptography;
using System.Text.Json;
using Berth.Federation.IdentityProviders;

namespace Berth.Federation.Robots;

/// <summary>
/// A stable hash of robot definitions (name, provider, rules, permissions, secret hash, enabled, refresh
/// lifetime), independent of order. Store it with a refresh token (computed over the robots the token
/// matched) and refuse the refresh token when it changes: editing rules or disabling a robot kills it.
/// With the identity providers given, each robot's provider (issuer and key source) counts too, so moving
/// a provider to other keys kills the refresh tokens bought with tokens the old keys accepted.
/// </summary>
public static class RobotsFingerprint
{
    /// <summary>
    /// The fingerprint the named robots have now, or null when one of them no longer exists or is disabled:
    /// what a stored refresh token's fingerprint must still equal.
    /// </summary>
    public static string? Current(IReadOnlyList<string> names, IReadOnlyList<RobotDefinition> robots, IReadOnlyList<IdentityProviderOptions> identityProviders)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(robots);
        var found = names.Select(name => robots.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal))).ToList();
        return found.Any(r => r is null || !r.Enabled) ? null : Compute(found!, identityProviders);
    }

    /// <returns><c>sha256:</c> followed by 64 lowercase hex digits.</returns>
    public static string Compute(IEnumerable<RobotDefinition> robots, IReadOnlyList<IdentityProviderOptions>? identityProviders = null)
    {
        ArgumentNullException.ThrowIfNull(robots);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var robot in robots.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", robot.Name);
                json.WriteString("identityProvider", robot.IdentityProvider);
                json.WriteBoolean("enabled", robot.Enabled);
                json.WriteString("secretHash", robot.SecretHash);
                json.WriteNumber("refreshTokenLifetimeTicks", robot.RefreshTokenLifetime.Ticks);
                if (identityProviders?.FirstOrDefault(p => string.Equals(p.Name, robot.IdentityProvider, StringComparison.Ordinal)) is { } provider)
                {
                    json.WriteStartArray("keySource");
                    json.WriteStringValue(provider.Issuer);
                    json.WriteStringValue(provider.DiscoveryUrl);
                    json.WriteStringValue(provider.JwksUrl);
                    json.WriteStringValue(provider.Jwks);
                    json.WriteStringValue(provider.JwksFile);
                    json.WriteEndArray();
                }

                json.WriteStartArray("rules");
                foreach (var rule in robot.Rules)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(rule.Claim);
                    json.WriteStringValue(rule.OperatorName);
                    foreach (var value in rule.Values)
                    {
                        json.WriteStringValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteStartArray("permissions");
                foreach (var permission in robot.Permissions)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(permission.Project);
                    json.WriteStringValue(permission.Repositories);
                    foreach (var action in permission.Actions)
                    {
                        json.WriteStringValue(action);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
