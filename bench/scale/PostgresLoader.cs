using Npgsql;
using NpgsqlTypes;

namespace Berth.Bench.Scale;

/// <summary>Fills a PostgreSQL metadata store that Berth already migrated: one binary COPY per table, then ANALYZE.</summary>
internal sealed class PostgresLoader(string connectionString, Layout layout)
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        await CopyAsync(connection, "repositories (name, created_at)",
            layout.AllRepositories().Select(r => new object?[] { r, layout.PushedAt }), cancellationToken);
        await CopyAsync(connection, "manifests (repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at)",
            layout.AllManifests().Select(m => new object?[]
            {
                m.Repository, m.Manifest.Digest, Layout.ImageMediaType, (long)m.Manifest.Content.Length, m.ArtifactType, m.Subject, m.Annotations, layout.PushedAt,
            }),
            cancellationToken);
        await CopyAsync(connection, "manifest_references (repository, manifest_digest, kind, digest)",
            Rows.References(layout).Select(r => new object?[] { r.Repository, r.Manifest, "blob", r.Digest }), cancellationToken);
        await CopyAsync(connection, "tags (repository, name, manifest_digest, updated_at)",
            layout.AllManifests().Where(m => m.Tag is not null).Select(m => new object?[] { m.Repository, m.Tag, m.Manifest.Digest, layout.PushedAt }),
            cancellationToken);
        await CopyAsync(connection, "blob_links (repository, digest, size, linked_at)",
            Rows.Links(layout).Select(l => new object?[] { l.Repository, l.Digest, l.Size, layout.PushedAt }), cancellationToken);

        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", cancellationToken);
        importer.Timeout = TimeSpan.FromMinutes(30);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var value in row)
            {
                switch (value)
                {
                    case null:
                        await importer.WriteNullAsync(cancellationToken);
                        break;
                    case long number:
                        await importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    default:
                        await importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken);
                        break;
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
