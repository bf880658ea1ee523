using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Storage.S3.Tests;

namespace Berth.Tests.Hosting;

/// <summary><c>storage.s3.redirect: true</c>: authorized blob GETs answer 307 to a presigned URL of the bucket (s3rver from ./test.sh).</summary>
public sealed class S3RedirectTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "berth-s3-redirect-" + Guid.NewGuid().ToString("N"));
    private readonly TestBucket bucket = TestBucket.FromEnvironment();
    private ServeProcess server = null!;
    private HttpClient noRedirects = null!;

    public async Task InitializeAsync()
    {
        server = await ServeProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>
        {
            ["BERTH_STORAGE__BLOBS"] = "s3",
            ["BERTH_STORAGE__S3__BUCKET"] = bucket.Bucket,
            ["BERTH_STORAGE__S3__ENDPOINT"] = bucket.Endpoint,
            ["BERTH_STORAGE__S3__FORCEPATHSTYLE"] = "true",
            ["BERTH_STORAGE__S3__PREFIX"] = $"redirect/{Guid.NewGuid():N}/",
            ["BERTH_STORAGE__S3__ACCESSKEYID"] = bucket.AccessKeyId,
            ["BERTH_STORAGE__S3__SECRETACCESSKEY"] = bucket.SecretAccessKey,
            ["BERTH_STORAGE__S3__REDIRECT"] = "true",
        });
        noRedirects = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        noRedirects.Dispose();
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task GetBlob_RedirectOn_Answers307ToAPresignedUrlThatServesTheBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using (var push = await server.Client.PostAsync($"/v2/library/app/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes)))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        using var redirect = await noRedirects.GetAsync($"/v2/library/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(bucket.Endpoint, location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", location.Query, StringComparison.Ordinal);
        using var direct = new HttpClient();
        Assert.Equal(bytes, await direct.GetByteArrayAsync(location));
        // What a client does: follow the 307 (the default handler does) and get the blob.
        Assert.Equal(bytes, await server.Client.GetByteArrayAsync($"/v2/library/app/blobs/{digest}"));
    }

    [Fact]
    public async Task GetBlob_NotInTheRepository_Is404NotARedirect()
    {
        var bytes = RandomNumberGenerator.GetBytes(100);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using (var push = await server.Client.PostAsync($"/v2/library/app/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes)))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        using var other = await noRedirects.GetAsync($"/v2/library/other/blobs/{digest}");
        using var head = await noRedirects.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/library/app/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Null(other.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(100, head.Content.Headers.ContentLength);
    }
}
