using Berth.Access.Admin;
using Npgsql;
using static Berth.Data.Postgres.NpgsqlCommands;
using static Berth.Data.Schema.DocumentSql;
using static Berth.Data.Schema.Rows;

namespace Berth.Data.Postgres;

/// <summary>
/// Objects created through the admin API, one JSON document per (kind, name), under one revision
/// (<see cref="IDocumentStore"/>). A write's compare-and-swap is one conditional UPDATE of the revision
/// row: a second replica writing at the same revision waits for the first's row lock, then finds the
/// revision moved and writes nothing.
/// </summary>
internal sealed class NpgsqlDocumentStore(NpgsqlDataSource dataSource) : IDocumentStore
{
    // One statement, so the revision and the documents come from one snapshot even in READ COMMITTED.
    private const string ReadDocumentsSql =
        "SELECT r.revision, d.kind, d.name, d.document, d.updated_at FROM admin_revision r " +
        "LEFT JOIN admin_documents d ON TRUE WHERE r.id = 1 ORDER BY d.kind, d.name";

    public async Task<DocumentSet> ReadDocumentsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadDocumentsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long revision = 0;
        var documents = new List<StoredDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            revision = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                documents.Add(new StoredDocument(reader.GetString(1), reader.GetString(2), reader.GetString(3), FromMilliseconds(reader.GetInt64(4))));
            }
        }

        return new DocumentSet(revision, documents);
    }

    public async Task<long> GetDocumentsRevisionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RevisionSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<bool> WriteDocumentsAsync(long expectedRevision, IReadOnlyList<StoredDocument> puts, IReadOnlyList<DocumentKey> deletes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(puts);
        ArgumentNullException.ThrowIfNull(deletes);
        return dataSource.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var bump = CreateCommand(connection, transaction, BumpRevisionSql))
                {
                    AddBigint(bump, "@expected", expectedRevision);
                    if (await bump.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return false; // nothing else ran: committing the empty transaction is harmless
                    }
                }

                foreach (var key in deletes)
                {
                    await using var delete = CreateCommand(connection, transaction, DeleteDocumentSql);
                    AddText(delete, "@kind", key.Kind);
                    AddText(delete, "@name", key.Name);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                foreach (var document in puts)
                {
                    await using var put = CreateCommand(connection, transaction, PutDocumentSql);
                    AddText(put, "@kind", document.Kind);
                    AddText(put, "@name", document.Name);
                    AddText(put, "@document", document.Json);
                    AddBigint(put, "@updated_at", document.UpdatedAt.ToUnixTimeMilliseconds());
                    await put.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }
}
