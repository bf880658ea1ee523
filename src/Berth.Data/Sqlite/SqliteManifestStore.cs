using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.ManifestSql;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>
/// Manifests, their references and tags (<see cref="IManifestStore"/>) as SQLite writes them: one
/// <c>BEGIN IMMEDIATE</c> transaction per push or delete. The reads are <see cref="ManifestStore"/>'s.
/// </summary>
internal sealed class SqliteManifestStore(SqliteDataSource database, SqliteDialect dialect) : ManifestStore(dialect)
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

    public override async Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken)
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

    public override Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(database, PresentManifestsPrefix, repository, digests, cancellationToken);

    public override async Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var deleted = await SqliteCommands.DeleteManifestAsync(connection, transaction, repository, digest, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
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
}
