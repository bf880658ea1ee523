using System.Net;

namespace Berth.Http;

/// <summary>
/// Whether a request's <c>Host</c> names this machine's loopback: <c>localhost</c> (or a name under
/// <c>.localhost</c>, which resolvers keep on loopback) or a loopback address. Open mode answers only such
/// requests: a web page that rebinds its own DNS name to 127.0.0.1 still sends its own name as Host, so it
/// cannot push or delete through a developer's browser.
/// </summary>
internal static class LoopbackHost
{
    public static bool Is(HostString host)
    {
        var name = host.Host;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
