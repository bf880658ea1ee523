using Berth.Access.Admin;
using Berth.Access.Audit;
using Berth.Access.Refresh;
using Berth.Registry.Metadata;

namespace Berth.Data.Tests;

/// <summary>The seams one metadata provider implements, as the conformance tests see them.</summary>
public sealed record MetadataStoreUnderTest(
    IMetadataStoreLifecycle Lifecycle,
    IRepositoryStore Repositories,
    IBlobLinkStore Blobs,
    IManifestStore Manifests,
    IUploadSessionStore Uploads,
    IRefreshTokenStore RefreshTokens,
    IAuditLog Audit)
{
    public IManifestListing ManifestListing { get; init; } = null!;

    public IDocumentStore Documents { get; init; } = null!;

    public IAdminCredentialStore AdminCredentials { get; init; } = null!;

    public IGcCandidateStore GcCandidates { get; init; } = null!;

    public IGcCoordinationStore GcCoordination { get; init; } = null!;

    /// <summary>The provider's read of garbage collection's claims.</summary>
    public IBlobClaimProbe ClaimProbe { get; init; } = null!;

    public static MetadataStoreUnderTest From(MetadataStores stores) =>
        new(stores.Lifecycle, stores.Repositories, stores.Blobs, stores.Manifests, stores.Uploads, stores.RefreshTokens, stores.Audit)
        {
            ManifestListing = stores.ManifestListing,
            Documents = stores.Documents,
            AdminCredentials = stores.AdminCredentials,
            GcCandidates = stores.GcCandidates,
            GcCoordination = stores.GcCoordination,
            ClaimProbe = stores.ClaimProbe,
        };
}
