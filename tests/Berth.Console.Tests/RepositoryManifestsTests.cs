using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Tests.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Console.Tests;

/// <summary>A repository's manifests, untagged ones too: digest, size, platforms of an index, who pushed it, its referrers, and delete.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RepositoryManifestsTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Repository = "library/app/web";

    private ConsolePage console = null!;

    public async Task InitializeAsync() => console = await ConsolePage.OpenAsync(chromium);

    public async Task DisposeAsync() => await console.DisposeAsync();

    [Fact]
    public async Task Repository_ImageIndexAndSignature_ShowsPlatformsPusherAndReferrerThenDeletesTheIndex()
    {
        var registry = console.Admin.Registry;
        var token = new AuthenticationHeaderValue("Bearer", await registry.TokenAsync(registry.GitHubToken(), $"repository:{Repository}:pull,push"));
        using (var pushed = await registry.PushImageAsync(Repository, "v1", token))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        var image = await PutAsync(token, "v1", null, null); // the image's manifest again, to read its digest and size
        var index = await PutAsync(token, "multi", "application/vnd.oci.image.index.v1+json",
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{image.Digest}}}","size":{{{image.Size}}},"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}""");
        // The signature's config and layer: the empty JSON blob {}, uploaded like any other.
        using (var empty = new HttpRequestMessage(HttpMethod.Post, $"/v2/{Repository}/blobs/uploads/?digest={FederatedRegistry.Digest("{}"u8.ToArray())}") { Content = new ByteArrayContent("{}"u8.ToArray()) })
        {
            empty.Headers.Authorization = token;
            using var uploaded = await registry.Client.SendAsync(empty);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var signature = await PutAsync(token, null, "application/vnd.oci.image.manifest.v1+json",
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="},"layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="}],"subject":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{index.Digest}}}","size":{{{index.Size}}}}}""");
        await registry.AuditAsync(e => e.Kind == "push" && e.Digest == signature.Digest);

        var page = console.Page;
        await console.SignedInAtAsync($"#/repositories/{Repository}");

        var indexRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = index.Digest });
        await Expect(indexRow).ToContainTextAsync("multi");
        await Expect(indexRow).ToContainTextAsync("linux/arm64/v8");
        await Expect(indexRow).ToContainTextAsync("by ci-push");
        await Expect(indexRow.GetByRole(AriaRole.List, new() { Name = $"Referrers of {index.Digest}" }))
            .ToContainTextAsync($"application/vnd.dev.sigstore.bundle.v0.3+json {signature.Digest}");
        var imageRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = image.Digest });
        await Expect(imageRow).ToContainTextAsync($"{image.Size} B");
        // The signature was pushed by digest: listed on its own too, marked untagged.
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = signature.Digest }).Filter(new() { HasText = "untagged" })).ToHaveCountAsync(1);
        await console.ScreenshotAsync("repository");

        await indexRow.GetByRole(AriaRole.Button, new() { Name = "Delete manifest" }).ClickAsync();
        await indexRow.GetByRole(AriaRole.Button, new() { Name = "Yes, delete manifest" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Manifest {index.Digest} deleted");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = index.Digest })).ToHaveCountAsync(0);
        await Expect(imageRow).ToBeVisibleAsync();
        var (_, tags) = await console.Admin.CallAsync(HttpMethod.Get, $"/api/v1/repositories/{Repository}/tags");
        Assert.Equal(["v1"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        console.AssertNothingBroke();
    }

    /// <summary>PUTs a manifest (by tag, or by its digest when untagged); with no content, reads the tag's instead.</summary>
    private async Task<(string Digest, int Size)> PutAsync(AuthenticationHeaderValue token, string? tag, string? mediaType, string? content)
    {
        var registry = console.Admin.Registry;
        if (content is null)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/{Repository}/manifests/{tag}");
            get.Headers.Authorization = token;
            get.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var got = await registry.Client.SendAsync(get);
            var bytes = await got.Content.ReadAsByteArrayAsync();
            return (FederatedRegistry.Digest(bytes), bytes.Length);
        }

        var body = Encoding.UTF8.GetBytes(content);
        var digest = FederatedRegistry.Digest(body);
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/{Repository}/manifests/{tag ?? digest}") { Content = new ByteArrayContent(body) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType!);
        put.Headers.Authorization = token;
        using var response = await registry.Client.SendAsync(put);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (digest, body.Length);
    }
}
