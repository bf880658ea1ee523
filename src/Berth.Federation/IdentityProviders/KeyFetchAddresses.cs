using System.Net;
using System.Net.Sockets;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// Where key fetches may go. Discovery and JWKS URLs are written by administrators, and a discovery
/// document names its own <c>jwks_uri</c>: without a check, either could point Berth at a cloud metadata
/// service (<c>169.254.169.254</c>, <c>fd00:ec2::254</c>) and, through the key-health errors, read back
/// what it says. So plain http is for loopback only, and link-local and metadata addresses are refused
/// unless the provider sets <see cref="IdentityProviderOptions.AllowLinkLocalAddresses"/>.
/// </summary>
public static class KeyFetchAddresses
{
    /// <summary>Set on a key fetch's request when its provider allows link-local addresses (read by <see cref="ConnectAsync"/>).</summary>
    internal static readonly HttpRequestOptionsKey<bool> AllowLinkLocal = new("Berth.KeyFetch.AllowLinkLocal");

    /// <summary>AWS's IPv6 instance metadata service, which is not link-local (it sits in a unique-local range).</summary>
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>True for <c>localhost</c> and loopback addresses, the only hosts plain http may reach.</summary>
    public static bool IsLoopbackHost(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>169.254.0.0/16, fe80::/10 (link-local, where metadata services live) and fd00:ec2::254.</summary>
    public static bool IsLinkLocalOrMetadata(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] == 169 && bytes[1] == 254;
        }

        return address.IsIPv6LinkLocal || address.Equals(AwsMetadataV6);
    }

    /// <summary>Null when Berth may fetch keys from <paramref name="uri"/> as far as its text shows; else why not.</summary>
    public static string? Refusal(Uri uri, bool allowInsecureHttp, bool allowLinkLocal)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return "only https URLs are fetched";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !(allowInsecureHttp && IsLoopbackHost(uri)))
        {
            return allowInsecureHttp
                ? "plain http is only allowed for loopback hosts (localhost, 127.0.0.1, ::1), even with allowInsecureHttp: use https"
                : "plain http is refused: use https (allowInsecureHttp allows http to loopback hosts, for tests)";
        }

        if (!allowLinkLocal && IPAddress.TryParse(uri.IdnHost, out var address) && IsLinkLocalOrMetadata(address))
        {
            return LinkLocalRefusal(address);
        }

        return null;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and refuses to
    /// connect to a link-local or metadata address, so a host name that resolves there (or is made to,
    /// by DNS rebinding between a check and the connection) is refused at the moment of connecting.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var allowLinkLocal = context.InitialRequestMessage.Options.TryGetValue(AllowLinkLocal, out var allowed) && allowed;
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (!allowLinkLocal && addresses.FirstOrDefault(IsLinkLocalOrMetadata) is { } refused)
        {
            throw new HttpRequestException($"refusing to connect to {context.DnsEndPoint.Host}: {LinkLocalRefusal(refused)}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The handler key fetches go through: no redirects, connections checked by <see cref="ConnectAsync"/>.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
    };

    private static string LinkLocalRefusal(IPAddress address) =>
        $"{address} is a link-local or cloud metadata address; set allowLinkLocalAddresses on the identity provider if its keys really are served there";
}
