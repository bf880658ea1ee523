using System.Text;
using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Content;
using Berth.Registry.Metadata;

namespace Berth.Data.Tests;

/// <summary>
/// The behaviour every metadata provider (SQLite, PostgreSQL) must show. A provider's test class
/// subclasses this and hands out a fresh, empty store per test; the base migrates it.
/// </summary>
public abstract partial class MetadataStoreConformance : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private MetadataStoreUnderTest? _store;

    protected static CancellationToken Ct => CancellationToken.None;

    protected MetadataStoreUnderTest Store => _store ?? throw new InvalidOperationException("the store is not created yet");

    protected IRepositoryStore Repositories => Store.Repositories;

    protected IBlobLinkStore Blobs => Store.Blobs;

    protected IManifestStore Manifests => Store.Manifests;

    protected IUploadSessionStore Uploads => Store.Uploads;

    protected IRefreshTokenStore RefreshTokens => Store.RefreshTokens;

    protected IAuditLog Audit => Store.Audit;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.Lifecycle.MigrateAsync(Ct);
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>A new store on an empty database (not yet migrated), private to one test.</summary>
    protected abstract Task<MetadataStoreUnderTest> CreateStoreAsync();

    /// <summary>Releases the store and removes its database.</summary>
    protected abstract Task DisposeStoreAsync();

    protected static Digest D(string seed) => Digest.Compute(Encoding.UTF8.GetBytes(seed));

    protected static ManifestRecord Manifest(
        string repository,
        string seed,
        Digest? subject = null,
        string? artifactType = null,
        IReadOnlyList<Digest>? blobs = null,
        IReadOnlyList<Digest>? children = null,
        string? annotationsJson = null) =>
        new(
            repository,
            D(seed),
            MediaTypes.OciManifest,
            100 + seed.Length,
            artifactType,
            subject,
            annotationsJson,
            blobs ?? [D(seed + "/config"), D(seed + "/layer")],
            children ?? [],
            T0);

    protected static ManifestInfo Info(ManifestRecord record) =>
        new(record.Digest, record.MediaType, record.Size, record.ArtifactType, record.Subject, record.AnnotationsJson);

    protected static RefreshTokenRecord RefreshToken(string hash, DateTimeOffset expiresAt, params string[] robots) =>
        new(hash, robots, "https://token.actions.githubusercontent.com", "repo:acme/app:ref:refs/heads/main", "fp-" + hash, T0, expiresAt, $"[{{\"project\":\"library\",\"repositories\":\"ci/{hash}\",\"actions\":[\"pull\"]}}]");

    protected static AuditEntry Entry(
        int minute,
        string kind = "token",
        string outcome = "accepted",
        string? robots = null,
        string? issuer = null,
        string? subject = null,
        string? repository = null) =>
        new(T0.AddMinutes(minute), kind, outcome, issuer, subject, TokenId: $"jti-{minute}", Robots: robots, Repository: repository);
}
