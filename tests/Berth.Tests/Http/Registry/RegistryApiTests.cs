using System.Net;

namespace Berth.Tests.Http.Registry;

/// <summary>The version check (end-1), name grammar and errors common to every /v2 route.</summary>
public sealed class RegistryApiTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private HttpClient Client => server.Client;

    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public async Task VersionCheck_Get_Answers200WithApiVersionHeader(string path)
    {
        using var response = await Client.GetAsync(Oci.Path(path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VersionCheck_Head_Answers200WithoutBody()
    {
        using var response = await Client.SendAsync(HttpMethod.Head, "/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("Upper/case")]
    [InlineData("a..b")]
    [InlineData("trailing/")]
    [InlineData("-leading")]
    [InlineData("a//b")]
    [InlineData("a___b")]
    public async Task Manifest_InvalidRepositoryName_Answers400NameInvalid(string name)
    {
        using var response = await Client.GetAsync(Oci.Path($"/v2/{name}/manifests/latest"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Theory]
    [InlineData("POST", "/v2/Bad/blobs/uploads/")]
    [InlineData("GET", "/v2/bad../tags/list")]
    [InlineData("GET", "/v2/bad_/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    [InlineData("GET", "/v2/bad//referrers/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    public async Task AnyRoute_InvalidRepositoryName_Answers400NameInvalid(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpMethod(method), path);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task Manifest_RepositoryNameEndingInNewline_Answers400NameInvalid()
    {
        using var response = await Client.GetAsync(Oci.Path("/v2/alpine%0A/tags/list"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task Repository_NameLongerThan255_Answers400NameInvalid()
    {
        var name = string.Join('/', Enumerable.Repeat(new string('a', 63), 5));

        using var response = await Client.GetAsync(Oci.Path($"/v2/{name}/tags/list"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task UnknownEndpoint_Answers404WithOciError()
    {
        using var response = await Client.GetAsync(Oci.Path("/v2/library/alpine/nothing-here"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "UNSUPPORTED");
    }

    [Fact]
    public async Task Manifest_UnsupportedMethod_Answers405Unsupported()
    {
        using var response = await Client.PostAsync(Oci.Path("/v2/library/alpine/manifests/latest"), null);

        await response.AssertErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
