using System.Globalization;
using System.Text.Json;
using Berth.Access.Permissions;
using Berth.Registry.Content;
using Berth.Registry.Manifests;
using Berth.Registry.Metadata;

namespace Berth.Http.Registry;

/// <summary>Tags list and catalog (paged with n/last and a Link header) and referrers (end-12; the index itself is <see cref="ReferrersIndex"/>).</summary>
internal sealed class ListingHandlers(IRepositoryStore repositories, IManifestStore manifests, IRegistryAccessCheck access)
{
    /// <summary>Page size when the client does not ask for one, and the most it may ask for.</summary>
    private const int MaxPage = 10_000;

    public async Task TagsAsync(HttpContext context, string repository)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository)], cancellationToken)
            || await ParsePageAsync(context) is not { } page)
        {
            return;
        }

        if (!await repositories.RepositoryExistsAsync(repository, cancellationToken))
        {
            await OciError.WriteAsync(context, StatusCodes.Status404NotFound, OciError.NameUnknown, $"repository {repository} is not known to this registry");
            return;
        }

        var tags = page.Size == 0 ? [] : await manifests.ListTagsAsync(repository, page.Last, page.Size + 1, cancellationToken);
        await WritePageAsync(context, $"/v2/{repository}/tags/list", "tags", repository, tags, page.Size);
    }

    public async Task CatalogAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Catalog], cancellationToken)
            || await ParsePageAsync(context) is not { } page)
        {
            return;
        }

        var names = page.Size == 0 ? [] : await repositories.ListRepositoriesAsync(page.Last, page.Size + 1, cancellationToken);
        await WritePageAsync(context, "/v2/_catalog", "repositories", null, names, page.Size);
    }

    public async Task ReferrersAsync(HttpContext context, string repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        if (!await access.AuthorizeAsync(context, [AccessRequirement.Pull(repository)], cancellationToken))
        {
            return;
        }

        if (!Digest.TryParse(reference, out var subject))
        {
            await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.DigestInvalid, $"referrers are listed by digest; '{reference}' is not a sha256 or sha512 digest");
            return;
        }

        string? artifactType = context.Request.Query["artifactType"];
        if (string.IsNullOrEmpty(artifactType))
        {
            artifactType = null;
        }

        var referrers = await manifests.ListReferrersAsync(repository, subject, artifactType, cancellationToken);
        context.Response.ContentType = ReferrersIndex.MediaType;
        if (artifactType is not null)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        await ReferrersIndex.WriteAsync(context.Response.Body, referrers, cancellationToken);
    }

    private static async Task WritePageAsync(HttpContext context, string path, string property, string? repository, IReadOnlyList<string> items, int size)
    {
        var hasMore = items.Count > size;
        var shown = hasMore ? items.Take(size).ToList() : items;
        var response = context.Response;
        if (hasMore)
        {
            var next = $"{path}?n={size.ToString(CultureInfo.InvariantCulture)}&last={Uri.EscapeDataString(shown[^1])}";
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        if (repository is not null)
        {
            json.WriteString("name", repository);
        }

        json.WriteStartArray(property);
        foreach (var item in shown)
        {
            json.WriteStringValue(item);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task<PageRequest?> ParsePageAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var size = MaxPage;
        string? n = query["n"];
        if (n is not null && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size > MaxPage))
        {
            await OciError.WriteAsync(context, StatusCodes.Status400BadRequest, OciError.PaginationNumberInvalid, $"n must be a whole number from 0 to {MaxPage.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        string? last = query["last"];
        return new PageRequest(size, string.IsNullOrEmpty(last) ? null : last);
    }

    private sealed record PageRequest(int Size, string? Last);
}
