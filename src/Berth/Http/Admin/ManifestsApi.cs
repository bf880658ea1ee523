using System.Text.Json;
using Berth.Access.Audit;
using Berth.Registry.Content;
using Berth.Registry.Manifests;
using Berth.Registry.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>GET /api/v1/manifests?repository=NAME[&amp;after=DIGEST]</c>: a page of the repository's manifests, tagged
/// or not (pushed by digest, an index's children, referrers), paged in digest order, each with its tags (none:
/// untagged), size, media type, the platforms of an index, its referrers (signatures, SBOMs) and, when the
/// audit log still holds it, when and by which robot it was last pushed; <c>next</c> is the <c>after</c> of
/// the following page. <c>DELETE /api/v1/manifests?repository=NAME&amp;digest=D</c> deletes a manifest and every
/// tag pointing at it. The repository is a query parameter, not a path: its slashes would clash with the
/// catch-all routes of <see cref="RepositoriesApi"/>.
/// </summary>
internal static class ManifestsApi
{
    private const int PageSize = 100;
    private const int MaxPushes = 1000;
    private static readonly string[] IndexTypes = [MediaTypes.OciIndex, MediaTypes.DockerManifestList];

    public static RouteGroupBuilder MapManifestsApi(this RouteGroupBuilder api)
    {
        var manifests = api.MapGroup("/manifests").WithTags("repositories");
        manifests.MapGet("/", ListAsync);
        manifests.MapDelete("/", DeleteAsync);
        return api;
    }

    private static async Task<Results<Ok<ManifestList>, NotFound<AdminErrors>, BadRequest<AdminErrors>>> ListAsync(
        string? repository, string? after, IRepositoryStore repositories, IManifestListing listing, IManifestStore store, ManifestService manifests, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(repository))
        {
            return TypedResults.BadRequest(AdminErrors.Of("repository: give the repository, e.g. ?repository=library/app"));
        }

        if (!await repositories.RepositoryExistsAsync(repository, cancellationToken))
        {
            return TypedResults.NotFound(AdminErrors.Of($"repository '{repository}' does not exist"));
        }

        if (!Digest.TryParse(after, out var from) && after is not null)
        {
            return TypedResults.BadRequest(AdminErrors.Of($"after: '{after}' is not a digest such as sha256:<64 hex digits>"));
        }

        var page = await listing.ListManifestsAsync(repository, after is null ? null : from, PageSize, cancellationToken);
        var pushes = await LastPushesAsync(audit, repository, cancellationToken);
        var views = new List<ManifestView>();
        foreach (var (info, manifestTags) in page)
        {
            var digest = info.Digest;
            var referrers = await store.ListReferrersAsync(repository, digest, null, cancellationToken);
            pushes.TryGetValue(digest.ToString(), out var push);
            views.Add(new ManifestView(
                digest.ToString(),
                info.MediaType,
                info.Size,
                info.ArtifactType,
                manifestTags,
                IndexTypes.Contains(info.MediaType, StringComparer.Ordinal) ? await PlatformsAsync(manifests, repository, digest, cancellationToken) : null,
                push?.At,
                push?.Robots ?? push?.Subject,
                referrers.Select(r => new ReferrerView(r.Digest.ToString(), r.ArtifactType, r.MediaType, r.Size)).ToList()));
        }

        // Newest push first within the page, as the console shows it; pages follow digest order (the store's key).
        var ordered = views.OrderByDescending(v => v.PushedAt ?? DateTimeOffset.MinValue).ThenBy(v => v.Tags.Count == 0).ThenBy(v => v.Tags.Count > 0 ? v.Tags[0] : v.Digest, StringComparer.Ordinal);
        return TypedResults.Ok(new ManifestList(repository, [.. ordered], page.Count == PageSize ? page[^1].Manifest.Digest.ToString() : null));
    }

    private static async Task<Results<NoContent, NotFound<AdminErrors>, BadRequest<AdminErrors>>> DeleteAsync(
        string? repository, string? digest, ManifestService manifests, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(repository))
        {
            return TypedResults.BadRequest(AdminErrors.Of("repository: give the repository, e.g. ?repository=library/app"));
        }

        if (!Digest.TryParse(digest, out var parsed))
        {
            return TypedResults.BadRequest(AdminErrors.Of($"digest: '{digest}' is not a digest such as sha256:<64 hex digits>"));
        }

        return await manifests.DeleteAsync(repository, parsed.ToString(), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(AdminErrors.Of($"manifest '{parsed}' does not exist in '{repository}'"));
    }

    /// <summary>The newest accepted push of each digest the audit log still holds (retention may have purged older ones).</summary>
    private static async Task<Dictionary<string, AuditEntry>> LastPushesAsync(IAuditLog audit, string repository, CancellationToken cancellationToken)
    {
        var entries = await audit.QueryAsync(new AuditQuery(Repository: repository, Outcome: AuditOutcomes.Accepted, Kind: "push", Limit: MaxPushes), cancellationToken);
        var pushes = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Digest is not null))
        {
            pushes.TryAdd(entry.Digest!, entry); // newest first: the first one wins
        }

        return pushes;
    }

    /// <summary><c>os/architecture[/variant]</c> of each child of an index, read from its stored bytes.</summary>
    private static async Task<IReadOnlyList<string>> PlatformsAsync(ManifestService manifests, string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await manifests.GetAsync(repository, digest.ToString(), cancellationToken) is not { } stored)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(stored.Content);
            if (!document.RootElement.TryGetProperty("manifests", out var children) || children.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var platforms = new List<string>();
            foreach (var child in children.EnumerateArray())
            {
                if (child.TryGetProperty("platform", out var platform) && platform.ValueKind == JsonValueKind.Object)
                {
                    var parts = new[] { Text(platform, "os"), Text(platform, "architecture"), Text(platform, "variant") }.Where(p => !string.IsNullOrEmpty(p));
                    platforms.Add(string.Join('/', parts));
                }
            }

            return platforms;
        }
        catch (JsonException)
        {
            return []; // stored bytes were validated at push; a foreign index format shows no platforms
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <param name="Next">The <c>after</c> of the next page; null on the last one.</param>
internal sealed record ManifestList(string Repository, IReadOnlyList<ManifestView> Manifests, string? Next);

/// <param name="Tags">The tags pointing at it; empty when it is untagged.</param>
/// <param name="Platforms">For an index: each child's os/architecture[/variant]; null for an image manifest.</param>
/// <param name="PushedBy">The robots (or the admin token's name) of the newest push the audit log holds.</param>
internal sealed record ManifestView(
    string Digest,
    string MediaType,
    long Size,
    string? ArtifactType,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string>? Platforms,
    DateTimeOffset? PushedAt,
    string? PushedBy,
    IReadOnlyList<ReferrerView> Referrers);

internal sealed record ReferrerView(string Digest, string? ArtifactType, string MediaType, long Size);
