namespace Berth.Tests.Http.Registry;

public sealed class RegistryServerTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    [Fact]
    public void Start_PortZero_BindsLoopbackOnly()
    {
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
    }

    [Fact]
    public async Task Healthz_AfterStart_Answers200()
    {
        using var response = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
