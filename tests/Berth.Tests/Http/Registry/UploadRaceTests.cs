using System.Net;
using Berth.Data;
using Berth.Registry.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Http.Registry;

/// <summary>
/// Two chunks racing from the same offset. The session store holds both requests' size updates until
/// both have arrived and lets them go one after the other, so the race happens on every run instead
/// of now and then under load.
/// </summary>
public sealed class UploadRaceTests : IAsyncLifetime
{
    private RegistryServer server = null!;

    public async Task InitializeAsync() =>
        server = await RegistryServer.StartAsync(services => services.AddSingleton<IUploadSessionStore>(
            provider => new GatedUploadSessionStore(provider.GetRequiredService<MetadataStores>().Uploads)));

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task Patch_TwoChunksAtTheSameOffsetAtOnce_OneWinsAndTheBlobIsIntact()
    {
        var repository = Oci.Repository();
        var first = Oci.RandomBytes(500_000);
        var second = Oci.RandomBytes(500_000);
        var location = await server.Client.StartUploadAsync(repository);
        using var other = new HttpClient { BaseAddress = server.BaseAddress };

        var results = await Task.WhenAll(
            server.Client.PatchAsync(Oci.Path(location), Oci.Octets(first, "0-499999")),
            other.PatchAsync(Oci.Path(location), Oci.Octets(second, "0-499999")));
        var statuses = results.Select(r => r.StatusCode).ToList();
        foreach (var result in results)
        {
            result.Dispose();
        }

        // The upload moves only from where it stood: the loser is told where that now is.
        Assert.Single(statuses, s => s == HttpStatusCode.Accepted);
        Assert.Single(statuses, s => s == HttpStatusCode.RequestedRangeNotSatisfiable);
        var winner = statuses[0] == HttpStatusCode.Accepted ? first : second;
        using var closed = await server.Client.PutAsync(Oci.Path(Oci.WithQuery(location, $"digest={Oci.DigestOf(winner)}")), Oci.Octets([]));
        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        using var pulled = await server.Client.GetAsync(Oci.Path($"/v2/{repository}/blobs/{Oci.DigestOf(winner)}"));
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(winner, await pulled.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// The real store, except that its first two size updates wait for each other and then run in
    /// arrival order: the first commits before the second starts. Later updates pass straight through.
    /// </summary>
    private sealed class GatedUploadSessionStore(IUploadSessionStore inner) : IUploadSessionStore
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
        private readonly TaskCompletionSource bothArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource firstDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int arrivals;

        public Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken) => inner.CreateUploadAsync(session, cancellationToken);

        public Task<UploadSession?> GetUploadAsync(Guid id, CancellationToken cancellationToken) => inner.GetUploadAsync(id, cancellationToken);

        public async Task<bool> UpdateUploadProgressAsync(Guid id, long expectedSize, DateTimeOffset expectedUpdatedAt, long newSize, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var arrival = Interlocked.Increment(ref arrivals);
            if (arrival > 2)
            {
                return await inner.UpdateUploadProgressAsync(id, expectedSize, expectedUpdatedAt, newSize, at, cancellationToken);
            }

            if (arrival == 2)
            {
                bothArrived.SetResult();
            }

            await bothArrived.Task.WaitAsync(Deadline, cancellationToken);
            if (arrival == 2)
            {
                await firstDone.Task.WaitAsync(Deadline, cancellationToken);
            }

            try
            {
                return await inner.UpdateUploadProgressAsync(id, expectedSize, expectedUpdatedAt, newSize, at, cancellationToken);
            }
            finally
            {
                if (arrival == 1)
                {
                    firstDone.SetResult();
                }
            }
        }

        public Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken) => inner.DeleteUploadAsync(id, cancellationToken);

        public Task<IReadOnlyList<UploadSession>> ListExpiredUploadsAsync(DateTimeOffset idleSince, int limit, CancellationToken cancellationToken) =>
            inner.ListExpiredUploadsAsync(idleSince, limit, cancellationToken);

        public Task<int> ReleaseUploadClaimsAsync(CancellationToken cancellationToken) => inner.ReleaseUploadClaimsAsync(cancellationToken);
    }
}
