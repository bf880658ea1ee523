using System.Net;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Http;

/// <summary>
/// Open mode on loopback answers loopback host names only: a page that rebinds its DNS name to 127.0.0.1
/// sends its own name as Host and must not reach the registry through a developer's browser.
/// </summary>
public sealed class OpenModeHostTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:5000")]
    [InlineData("192.168.1.20")]
    public async Task Registry_ForeignHostInOpenMode_IsRefused(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog");
        request.Headers.Host = host;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("open mode answers only loopback host names", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_ForeignHostInOpenMode_CannotDelete()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/v2/library/app/manifests/sha256:" + new string('0', 64));
        request.Headers.Host = "attacker.example";

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5000")]
    [InlineData("registry.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:5000")]
    public async Task Registry_LoopbackHostInOpenMode_IsServed(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Host = host;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
