using System.Net;

namespace Berth.Configuration;

/// <summary>
/// Parses <c>server.trustedProxies</c>: CIDRs (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) or single addresses,
/// the only peers whose forwarding headers (X-Forwarded-*, Forwarded) are believed.
/// </summary>
internal static class TrustedProxies
{
    public static IReadOnlyList<IPNetwork> Parse(IReadOnlyList<string> values)
    {
        var networks = new List<IPNetwork>();
        for (var i = 0; i < values.Count; i++)
        {
            var text = values[i].Trim();
            // The framework masks 10.0.0.1/8 to 10.0.0.0/8; refuse it instead, it is likely a typo for a /32.
            if (IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text[..text.IndexOf('/', StringComparison.Ordinal)], out var written) && written.Equals(network.BaseAddress))
            {
                networks.Add(network);
            }
            else if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ConfigurationException(
                    $"server.trustedProxies[{i}] '{values[i]}' is not a CIDR or an IP address, e.g. 10.0.0.0/8, 192.168.1.10 or fd00::/8 " +
                    "(a CIDR's address must have no bits set beyond its prefix)");
            }
        }

        return networks;
    }
}
