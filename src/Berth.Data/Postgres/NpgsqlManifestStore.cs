using Berth.Data.Stores;
using Berth.Registry.Content;
using Berth.Registry.Metadata;
using Npgsql;
using NpgsqlTypes;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.ManifestSql;

namespace Berth.Data.Postgres;

/// <summary>
/// Manifests, their references and tags (<see cref="IManifestStore"/>). A push and a delete of the same
/// manifest on two replicas take the manifest row's lock first (the push a share lock, the delete an
/// exclusive one), so they behave as if one ran after the other: never a tag pointing at a manifest
/// being deleted, never a foreign-key failure half-way through a push. Tags are upserted in one statement.
/// The reads are <see cref="ManifestStore"/>'s.
/// </summary>
internal sealed class NpgsqlManifestStore(NpgsqlDataSource dataSource, PostgresDialect dialect, TimeProvider time) : ManifestStore(dialect)
{
    private const string InsertManifestSql =
        "INSERT INTO manifests (repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at) " +
        "VALUES (@repository, @digest, @media_type, @size, @artifact_type, @subject, @annotations, @pushed_at) " +
        "ON CONFLICT (repository, digest) DO NOTHING RETURNING 1";

    private const string ShareManifestSql =
        "SELECT 1 FROM manifests WHERE repository = @repository AND digest = @digest FOR SHARE";

    private const string InsertReferencesSql =
        "INSERT INTO manifest_references (repository, manifest_digest, kind, digest) " +
        "SELECT @repository, @manifest_digest, r.kind, r.digest FROM unnest(@kinds, @digests) AS r (kind, digest) " +
        "ON CONFLICT (repository, manifest_digest, kind, digest) DO NOTHING";

    private const string PresentManifestsSql =
        "SELECT digest FROM manifests WHERE repository = @repository AND digest = ANY (@digests)";

    public override Task PutManifestAsync(ManifestRecord manifest, string? tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await EnsureRepositoryAsync(connection, transaction, manifest.Repository, NowMilliseconds(time), cancellationToken);
                await ClaimManifestAsync(connection, transaction, manifest, cancellationToken);
                await InsertReferencesAsync(connection, transaction, manifest, cancellationToken);
                if (tag is not null)
                {
                    await using var upsert = CreateCommand(connection, transaction, UpsertTagSql);
                    AddText(upsert, "@repository", manifest.Repository);
                    AddText(upsert, "@tag", tag);
                    AddText(upsert, "@digest", manifest.Digest.ToString());
                    AddBigint(upsert, "@updated_at", manifest.PushedAt.ToUnixTimeMilliseconds());
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    public override Task<IReadOnlyList<Digest>> FindMissingManifestsAsync(string repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
        FindAbsentAsync(dataSource, PresentManifestsSql, repository, digests, cancellationToken);

    public override Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                // The exclusive row lock makes a concurrent push of this digest wait until the delete commits.
                await using (var lockRow = CreateCommand(connection, transaction, LockManifestSql))
                {
                    AddText(lockRow, "@repository", repository);
                    AddText(lockRow, "@digest", digest.ToString());
                    if (await lockRow.ExecuteScalarAsync(cancellationToken) is null)
                    {
                        return false;
                    }
                }

                await DeleteManifestRowsAsync(connection, transaction, repository, digest, cancellationToken);

                return true;
            },
            cancellationToken);

    /// <summary>
    /// Inserts the manifest row, or share-locks the one already there (the first push's columns stay).
    /// Between the two statements another replica may delete the row; then the insert is tried again,
    /// each statement seeing the latest commits, until one of them holds the row.
    /// </summary>
    private static async Task ClaimManifestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        var digest = manifest.Digest.ToString();
        while (true)
        {
            await using (var insert = CreateCommand(connection, transaction, InsertManifestSql))
            {
                AddText(insert, "@repository", manifest.Repository);
                AddText(insert, "@digest", digest);
                AddText(insert, "@media_type", manifest.MediaType);
                AddBigint(insert, "@size", manifest.Size);
                AddText(insert, "@artifact_type", manifest.ArtifactType);
                AddText(insert, "@subject", manifest.Subject?.ToString());
                AddText(insert, "@annotations", manifest.AnnotationsJson);
                AddBigint(insert, "@pushed_at", manifest.PushedAt.ToUnixTimeMilliseconds());
                if (await insert.ExecuteScalarAsync(cancellationToken) is not null)
                {
                    return;
                }
            }

            await using var share = CreateCommand(connection, transaction, ShareManifestSql);
            AddText(share, "@repository", manifest.Repository);
            AddText(share, "@digest", digest);
            if (await share.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return;
            }
        }
    }

    /// <summary>Every blob and child manifest reference in one statement (one round trip however many layers).</summary>
    private static async Task InsertReferencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        var kinds = new List<string>();
        var digests = new List<string>();
        foreach (var (kind, references) in new[] { (BlobReference, manifest.BlobReferences), (ManifestReference, manifest.ManifestReferences) })
        {
            foreach (var reference in references)
            {
                kinds.Add(kind);
                digests.Add(reference.ToString());
            }
        }

        if (digests.Count == 0)
        {
            return;
        }

        await using var command = CreateCommand(connection, transaction, InsertReferencesSql);
        AddText(command, "@repository", manifest.Repository);
        AddText(command, "@manifest_digest", manifest.Digest.ToString());
        command.Parameters.AddWithValue("@kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, kinds.ToArray());
        command.Parameters.AddWithValue("@digests", NpgsqlDbType.Array | NpgsqlDbType.Text, digests.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
