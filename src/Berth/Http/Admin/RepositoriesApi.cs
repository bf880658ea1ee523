using Berth.Registry.Content;
using Berth.Registry.Manifests;
using Berth.Registry.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>
/// <c>/api/v1/repositories</c>: the catalog, a repository's tags (<c>GET …/{repository}/tags</c>) and tag
/// deletion (<c>DELETE …/{repository}/tags/{tag}</c>). Repository names contain slashes, so one catch-all
/// route per method parses the path, as the registry API does.
/// </summary>
internal static class RepositoriesApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapRepositoriesApi(this RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("repositories");
        repositories.MapGet("/", ListAsync);
        repositories.MapGet("/{**path}", ListTagsAsync);
        repositories.MapDelete("/{**path}", DeleteTagAsync);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(IRepositoryStore store, string? last, int? n, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListRepositoriesAsync(last, Math.Clamp(n ?? MaxPage, 1, MaxPage), cancellationToken));

    private static async Task<Results<Ok<TagList>, NotFound<AdminErrors>>> ListTagsAsync(string path, IManifestStore manifests, IRepositoryStore repositories, string? last, int? n, CancellationToken cancellationToken)
    {
        const string suffix = "/tags";
        if (!path.EndsWith(suffix, StringComparison.Ordinal) || path.Length == suffix.Length)
        {
            return TypedResults.NotFound(AdminErrors.Of("use GET /api/v1/repositories/{repository}/tags"));
        }

        var repository = path[..^suffix.Length];
        if (!await repositories.RepositoryExistsAsync(repository, cancellationToken))
        {
            return TypedResults.NotFound(AdminErrors.Of($"repository '{repository}' does not exist"));
        }

        var tags = await manifests.ListTagsAsync(repository, last, Math.Clamp(n ?? MaxPage, 1, MaxPage), cancellationToken);
        return TypedResults.Ok(new TagList(repository, tags));
    }

    private static async Task<Results<NoContent, NotFound<AdminErrors>, BadRequest<AdminErrors>>> DeleteTagAsync(string path, ManifestService manifests, CancellationToken cancellationToken)
    {
        const string marker = "/tags/";
        var at = path.LastIndexOf(marker, StringComparison.Ordinal);
        if (at <= 0)
        {
            return TypedResults.NotFound(AdminErrors.Of("use DELETE /api/v1/repositories/{repository}/tags/{tag}"));
        }

        var repository = path[..at];
        var tag = path[(at + marker.Length)..];
        if (!Names.IsValidTag(tag))
        {
            return TypedResults.BadRequest(AdminErrors.Of($"'{tag}' is not a valid tag"));
        }

        return await manifests.DeleteAsync(repository, tag, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(AdminErrors.Of($"tag '{tag}' does not exist in '{repository}'"));
    }
}

internal sealed record TagList(string Name, IReadOnlyList<string> Tags);
