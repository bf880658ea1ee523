using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.Crash;

/// <summary>SIGTERM lets requests in flight finish: a chunk being uploaded when the stop comes is stored whole.</summary>
[Collection(CrashCollection.Name)]
public sealed class GracefulShutdownTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Serve_TerminatedDuringChunkUpload_FinishesTheChunkThenExitsCleanly()
    {
        await using var data = TempDirectory.Create("term");
        await using var server = await RegistryServer.StartAsync(data.Combine("registry"), CancellationToken.None);
        using var http = new RegistryHttp(server.BaseAddress);
        using var started = await http.Client.PostAsync("v2/stop/test/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();

        var chunk = RandomNumberGenerator.GetBytes(4 * MiB);
        var content = new StallingContent(chunk, sendBefore: MiB);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"0-{chunk.Length - 1}");
        var inFlight = http.Client.SendAsync(patch);
        await content.Sent;

        var exit = server.TerminateAsync(TimeSpan.FromSeconds(60));
        // Only once the server has begun stopping does the rest of the chunk go out.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Contains("Application is shutting down", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the server never began shutting down:\n" + server.Output);
            await Task.Delay(20);
        }

        content.Release();
        using var response = await inFlight;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"0-{chunk.Length - 1}", response.Headers.GetValues("Range").Single());
        Assert.Equal(0, await exit);
    }
}
