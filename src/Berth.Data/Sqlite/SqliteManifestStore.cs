using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.ManifestSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Manifests, their references and tags (<see cref="IManifestStore"/>).</summary>
internal sealed class SqliteManifestStore(SqliteDataSource database) : IManifestStore
{
    private const string InsertManifestSql =
        "INSERT INTO manifests (repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at) " +
        "VALUES (@repository, @digest, @media_type, @size, @artifact_type, @subject, @annotations, @pushed_at) " +
        "ON CONFLICT (repository, digest) DO NOTHING";

    private const string InsertReferenceSql =
        "INSERT INTO manifest_references (repository, manifest_digest, kind, digest) VALUES (@repository, @manifest_digest, @kind, @digest) " +
        "ON CONFLICT (repository, manifest_digest, kind, digest) DO NOTHING";

    private const string PresentManifestsPrefix =
        "SELECT digest FROM manifests WHERE repository = @repository AND digest IN (";

    public async Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await EnsureRepositoryAsync(connection, transaction, manifest.Repository, database.NowMilliseconds(), cancellationToken);

        var digest = manifest.Digest.ToString();
        await using (var insert = CreateCommand(connection, InsertManifestSql, transaction))
        {
            insert.Parameters.AddWithValue("@repository", manifest.Repository);
            insert.Parameters.AddWithValue("@digest", digest);
            insert.Parameters.AddWithValue("@media_type", manifest.MediaType);
            insert.Parameters.AddWithValue("@size", manifest.Size);
            insert.Parameters.AddWithValue("@artifact_type", OrNull(manifest.ArtifactType));
            insert.Parameters.AddWithValue("@subject", OrNull(manifest.Subject?.ToString()));
            insert.Parameters.AddWithValue("@annotations", OrNull(manifest.AnnotationsJson));
            insert.Parameters.AddWithValue("@pushed_at", manifest.PushedAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertReferencesAsync(connection, transaction, manifest.Repository, digest, BlobReference, manifest.BlobReferences, cancellationToken);
        await InsertReferencesAsync(connection, transaction, manifest.Repository, digest, ManifestReference, manifest.ManifestReferences, cancellationToken);

        if (tag is not null)
        {
            await using var upsert = CreateCommand(connection, UpsertTagSql, transaction);
            upsert.Parameters.AddWithValue("@repository", manifest.Repository);
            upsert.Parameters.AddWithValue("@tag", tag);
            upsert.Parameters.AddWithValue("@digest", digest);
            upsert.Parameters.AddWithValue("@updated_at", manifest.PushedAt.ToUnixTimeMilliseconds());
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ManifestInfo?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, GetManifestSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@digest", digest.ToString());
        return await ReadSingleManifestAsync(command, cancellationToken);
    }

    public async Task<ManifestInfo?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, ResolveTagSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@tag", tag);
        return await ReadSingleManifestAsync(command, cancellationToken);
    }

    public Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(database, PresentManifestsPrefix, repository, digests, cancellationToken);

    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var deleted = await SqliteCommands.DeleteManifestAsync(connection, transaction, repository, digest, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var command = CreateCommand(connection, DeleteTagSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@tag", tag);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken)
    {
        ThrowIfNegative(limit, nameof(limit));
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, after is null ? ListTagsSql : ListTagsAfterSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@limit", limit);
        if (after is not null)
        {
            command.Parameters.AddWithValue("@after", after);
        }

        return await ReadStringsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ManifestInfo>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var command = CreateCommand(connection, artifactType is null ? ListReferrersSql : ListReferrersOfTypeSql);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@subject", subject.ToString());
        if (artifactType is not null)
        {
            command.Parameters.AddWithValue("@artifact_type", artifactType);
        }

        var referrers = new List<ManifestInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            referrers.Add(ReadManifest(reader));
        }

        return referrers;
    }

    private static async Task InsertReferencesAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string repository,
        string manifestDigest,
        string kind,
        IReadOnlyList<Digest> references,
        CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return;
        }

        // One prepared command, re-bound per reference.
        await using var command = CreateCommand(connection, InsertReferenceSql, transaction);
        command.Parameters.AddWithValue("@repository", repository);
        command.Parameters.AddWithValue("@manifest_digest", manifestDigest);
        command.Parameters.AddWithValue("@kind", kind);
        var digest = command.Parameters.Add("@digest", SqliteType.Text);
        foreach (var reference in references)
        {
            digest.Value = reference.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<ManifestInfo?> ReadSingleManifestAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadManifest(reader) : null;
    }
}
