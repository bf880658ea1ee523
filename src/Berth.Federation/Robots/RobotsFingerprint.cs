using System.Security.Cryptography;
using System.Text.Json;

namespace Berth.Federation.Robots;

/// <summary>
/// A stable hash of robot definitions (name, provider, rules, permissions, secret hash, enabled, refresh
/// lifetime), independent of order. Store it with a refresh token (computed over the robots the token
/// matched) and refuse the refresh token when it changes: editing rules or disabling a robot kills it.
/// </summary>
public static class RobotsFingerprint
{
    /// <returns><c>sha256:</c> followed by 64 lowercase hex digits.</returns>
    public static string Compute(IEnumerable<RobotDefinition> robots)
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
