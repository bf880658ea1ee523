using System.Net;
using System.Text.Json;

namespace Berth.Tests.Admin;

/// <summary>
/// Create and update of identity providers, projects and robots take bodies of their own: on PUT the name is
/// the path's, so the OpenAPI document lists no <c>name</c> there, and a body's name changes nothing.
/// </summary>
public sealed class AdminRequestModelsTests
{
    [Theory]
    [InlineData("identity-providers")]
    [InlineData("projects")]
    [InlineData("robots")]
    public async Task OpenApi_CreateBodyHasTheName_UpdateBodyDoesNot(string resource)
    {
        await using var admin = await AdminRegistry.StartAsync();
        using var response = await admin.Client.GetAsync("/api/v1/openapi.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var create = BodyProperties(document.RootElement, $"/api/v1/{resource}", "post");
        var update = BodyProperties(document.RootElement, $"/api/v1/{resource}/{{name}}", "put");

        Assert.Contains("name", create);
        Assert.DoesNotContain("name", update);
        Assert.NotEmpty(update);
    }

    [Fact]
    public async Task Projects_UpdateWithAnotherNameInTheBody_ChangesThePathsProjectOnly()
    {
        await using var admin = await AdminRegistry.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.CallAsync(HttpMethod.Post, "/api/v1/projects", new { name = "team" })).Status);

        var (status, view) = await admin.CallAsync(HttpMethod.Put, "/api/v1/projects/team", new { name = "other", @public = true });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("team", true), (view.GetProperty("name").GetString(), view.GetProperty("public").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.CallAsync(HttpMethod.Get, "/api/v1/projects/other")).Status);
    }

    [Fact]
    public async Task Robots_CreateWithoutName_Returns400NamingTheName()
    {
        await using var admin = await AdminRegistry.StartAsync();

        var (status, body) = await admin.CallAsync(HttpMethod.Post, "/api/v1/robots", new { secret = true });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("name", body.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>The JSON property names of an operation's request body, following <c>$ref</c>s into the components.</summary>
    private static IReadOnlyList<string> BodyProperties(JsonElement openApi, string path, string method)
    {
        var schema = openApi.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = openApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        }

        return schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToList() : [];
    }
}
