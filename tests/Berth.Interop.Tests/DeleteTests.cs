using System.Net;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests;

[Collection(RegistryCollection.Name)]
public sealed class DeleteTests(RegistryFixture fixture)
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task SkopeoDelete_Tag_RemovesTheManifestAndEveryTagOnIt()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/delete:1", layers: 1);
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/delete:a");
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/delete:b");
        var digest = (await http.GetManifestAsync("interop/delete", "a")).Digest!;

        // skopeo resolves the tag and deletes the manifest by digest (DELETE …/manifests/sha256:…).
        await clients.SkopeoAsync("delete", "--tls-verify=false", $"docker://{Server.HostPort}/interop/delete:a");

        await AssertInspectFailsAsync(clients, $"docker://{Server.HostPort}/interop/delete:a");
        await AssertInspectFailsAsync(clients, $"docker://{Server.HostPort}/interop/delete:b");
        await AssertInspectFailsAsync(clients, $"docker://{Server.HostPort}/interop/delete@{digest}");
        Assert.Equal(HttpStatusCode.NotFound, await http.HeadAsync($"v2/interop/delete/manifests/{digest}"));
    }

    [Fact]
    public async Task DeleteManifest_ByTag_RemovesOnlyThatTag()
    {
        await using var clients = ClientSandbox.Create(Server);
        using var http = new RegistryHttp(Server.BaseAddress);
        var image = await Images.BuildAsync(clients, "localhost/untag:1", layers: 1);
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/untag:a");
        await clients.BuildahAsync("push", "--tls-verify=false", image, $"docker://{Server.HostPort}/interop/untag:b");
        var digest = (await http.GetManifestAsync("interop/untag", "a")).Digest!;

        // OCI Distribution 1.1 end-9 with a tag: deletes the tag, not the manifest.
        using var deleted = await http.Client.DeleteAsync("v2/interop/untag/manifests/a");
        await RegistryHttp.ExpectAsync(deleted, HttpStatusCode.Accepted);

        await AssertInspectFailsAsync(clients, $"docker://{Server.HostPort}/interop/untag:a");
        var other = await clients.SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{Server.HostPort}/interop/untag:b");
        Assert.NotEmpty(other.StandardOutput);
        Assert.Equal(HttpStatusCode.OK, await http.HeadAsync($"v2/interop/untag/manifests/{digest}"));
        var tags = await clients.SkopeoAsync("list-tags", "--tls-verify=false", $"docker://{Server.HostPort}/interop/untag");
        Assert.DoesNotContain("\"a\"", tags.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"b\"", tags.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task AssertInspectFailsAsync(ClientSandbox clients, string reference)
    {
        var inspect = await clients.TrySkopeoAsync("inspect", "--tls-verify=false", "--raw", reference);
        Assert.False(inspect.Succeeded, inspect.Describe("succeeded, but the manifest should be gone"));
        Assert.Contains("manifest unknown", inspect.StandardError, StringComparison.OrdinalIgnoreCase);
    }
}
