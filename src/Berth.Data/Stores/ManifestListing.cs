using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Schema.ManifestSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>A repository's manifests, tagged or not, keyset-paged by digest (<see cref="IManifestListing"/>), the same on every provider.</summary>
internal sealed class ManifestListing(ProviderDialect dialect) : IManifestListing
{
    public async Task<IReadOnlyList<ListedManifest>> ListManifestsAsync(string repository, Digest? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ListManifestsPageSql);
        AddText(command, "@repository", repository);
        AddText(command, "@after", after?.ToString() ?? string.Empty); // every digest sorts after ""
        AddInteger(command, "@limit", limit);

        var page = new List<ListedManifest>();
        List<string> tags = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var manifest = ReadManifest(reader);
            if (page.Count == 0 || !page[^1].Manifest.Digest.Equals(manifest.Digest))
            {
                tags = [];
                page.Add(new ListedManifest(manifest, tags));
            }

            if (GetNullableString(reader, 6) is { } tag)
            {
                tags.Add(tag);
            }
        }

        return page;
    }
}
