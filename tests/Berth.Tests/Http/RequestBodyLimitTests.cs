using System.Net.Sockets;
using System.Text;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Http;

/// <summary>
/// Bodies of non-blob endpoints are refused before they are read. The client announces 100 MB, sends
/// only the first 64 KiB and then waits: an answer can only come from a server that did not wait for
/// the rest.
/// </summary>
public sealed class RequestBodyLimitTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private const long Announced = 100_000_000;

    [Theory]
    [InlineData("/api/v1/identity-providers")]
    [InlineData("/api/v1/explain")]
    public async Task Post_AnonymousHundredMegabytes_IsRefusedBeforeTheBodyIsRead(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {Announced}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("{\"name\":\"" + new string('a', 64 * 1024)), timeout.Token);

        var status = await ReadStatusLineAsync(stream, timeout.Token);

        Assert.True(status.Contains(" 401 ", StringComparison.Ordinal) || status.Contains(" 413 ", StringComparison.Ordinal), status);
    }

    /// <summary>
    /// A chunked body announces no size, so no limit can refuse it up front: only a server that checks the
    /// caller before binding the body answers while the client is still in its first kilobyte.
    /// </summary>
    [Theory]
    [InlineData("/api/v1/identity-providers")]
    [InlineData("/api/v1/explain")]
    public async Task Post_AnonymousChunkedBody_IsRefusedBeforeTheBodyIsRead(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        var chunk = "{\"name\":\"" + new string('a', 1000);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + $"{chunk.Length:x}\r\n{chunk}\r\n"), timeout.Token);

        var status = await ReadStatusLineAsync(stream, timeout.Token);

        Assert.Contains(" 401 ", status, StringComparison.Ordinal);
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken) == 1 && buffer[0] != (byte)'\n')
        {
            line.Append((char)buffer[0]);
        }

        return line.ToString();
    }
}
