using System.Net;

namespace Berth.Configuration;

/// <summary>Parses <c>ADDR:PORT</c> as given to <c>--listen</c>.</summary>
internal static class ListenEndpoint
{
    public static IPEndPoint Parse(string value) => Parse(value, "server.listen");

    /// <param name="key">The setting the value came from, for the message.</param>
    public static IPEndPoint Parse(string value, string key)
    {
        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) && int.TryParse(value["localhost:".Length..], out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new ConfigurationException($"{key} '{value}' must be ADDRESS:PORT, e.g. 127.0.0.1:5000 or 0.0.0.0:5000");
    }
}
