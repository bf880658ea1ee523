using System.Net;
using Berth.Registry.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Http.Registry;

/// <summary>Abandoned upload sessions expire with their staged bytes; time is driven by a fake clock.</summary>
public sealed class UploadExpiryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private RegistryServer server = null!;

    public async Task InitializeAsync() =>
        server = await RegistryServer.StartAsync(services => services.AddSingleton<TimeProvider>(time));

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task ExpireIdle_SessionIdleLongerThanExpiry_RemovesSessionAndStagingFile()
    {
        var location = await server.Client.StartUploadAsync(Oci.Repository());
        var staging = StagingFile(location);
        using (var chunk = await server.Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(1000), "0-999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
        }

        Assert.True(File.Exists(staging));

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await server.Services.GetRequiredService<BlobUploadService>().ExpireIdleAsync(CancellationToken.None);

        using var status = await server.Client.GetAsync(Oci.Path(location));
        await status.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.False(File.Exists(staging));
    }

    [Fact]
    public async Task ExpireIdle_SessionRecentlyActive_KeepsIt()
    {
        var location = await server.Client.StartUploadAsync(Oci.Repository());
        time.Advance(TimeSpan.FromMinutes(50));
        using (var chunk = await server.Client.PatchAsync(Oci.Path(location), Oci.Octets(Oci.RandomBytes(10), "0-9")))
        {
            Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(50));
        var removed = await server.Services.GetRequiredService<BlobUploadService>().ExpireIdleAsync(CancellationToken.None);

        using var status = await server.Client.GetAsync(Oci.Path(location));
        Assert.Equal(0, removed);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-9", status.Header("Range"));
        Assert.True(File.Exists(StagingFile(location)));
    }

    [Fact]
    public async Task Put_AfterExpiry_Answers404BlobUploadUnknown()
    {
        var content = Oci.RandomBytes(100);
        var location = await server.Client.StartUploadAsync(Oci.Repository());
        time.Advance(TimeSpan.FromHours(2));
        await server.Services.GetRequiredService<BlobUploadService>().ExpireIdleAsync(CancellationToken.None);

        using var closed = await server.Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={Oci.DigestOf(content)}")), Oci.Octets(content));

        await closed.AssertErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    private string StagingFile(string location) => Path.Combine(server.DataDir, "uploads", location[(location.LastIndexOf('/') + 1)..]);
}
