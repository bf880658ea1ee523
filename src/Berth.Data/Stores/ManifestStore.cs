using System.Data.Common;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using static Berth.Data.Schema.ManifestSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Stores.DbCommands;

namespace Berth.Data.Stores;

/// <summary>
/// Manifests, their references and tags (<see cref="IManifestStore"/>): the reads and the tag delete,
/// written once for every provider. A provider's subclass writes manifests its own way (SQLite's one
/// writer, PostgreSQL's row locks) and finds missing digests with its own IN list or array.
/// </summary>
internal abstract class ManifestStore(ProviderDialect dialect) : IManifestStore
{
    public abstract Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    public abstract Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    public async Task<ManifestInfo?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GetManifestSql);
        AddText(command, "@repository", repository);
        AddText(command, "@digest", digest.ToString());
        return await ReadSingleManifestAsync(command, cancellationToken);
    }

    public async Task<ManifestInfo?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ResolveTagSql);
        AddText(command, "@repository", repository);
        AddText(command, "@tag", tag);
        return await ReadSingleManifestAsync(command, cancellationToken);
    }

    public async Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, DeleteTagSql);
        AddText(command, "@repository", repository);
        AddText(command, "@tag", tag);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, after is null ? ListTagsSql : ListTagsAfterSql);
        AddText(command, "@repository", repository);
        AddInteger(command, "@limit", limit);
        if (after is not null)
        {
            AddText(command, "@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ManifestInfo>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, artifactType is null ? ListReferrersSql : ListReferrersOfTypeSql);
        AddText(command, "@repository", repository);
        AddText(command, "@subject", subject.ToString());
        if (artifactType is not null)
        {
            AddText(command, "@artifact_type", artifactType);
        }

        var referrers = new List<ManifestInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            referrers.Add(ReadManifest(reader));
        }

        return referrers;
    }

    private static async Task<ManifestInfo?> ReadSingleManifestAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadManifest(reader) : null;
    }
}
