using Berth.Access.Admin;
using Microsoft.Data.Sqlite;
using static Berth.Data.Schema.DocumentSql;
using static Berth.Data.Schema.Rows;
using static Berth.Data.Sqlite.SqliteCommands;

namespace Berth.Data.Sqlite;

/// <summary>Objects created through the admin API, one JSON document per (kind, name), under one revision (<see cref="IDocumentStore"/>).</summary>
internal sealed class SqliteDocumentStore(SqliteDataSource database) : IDocumentStore
{
    private const string ListDocumentsSql =
        "SELECT kind, name, document, updated_at FROM admin_documents ORDER BY kind, name";

    public async Task<DocumentSet> ReadDocumentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);

        // One read transaction: the documents and the revision come from the same WAL snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var revision = await ReadRevisionAsync(connection, transaction, cancellationToken);
        await using var command = CreateCommand(connection, ListDocumentsSql, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var documents = new List<StoredDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new StoredDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMilliseconds(reader.GetInt64(3))));
        }

        return new DocumentSet(revision, documents);
    }

    public async Task<long> GetDocumentsRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        return await ReadRevisionAsync(connection, null, cancellationToken);
    }

    public async Task<bool> WriteDocumentsAsync(long expectedRevision, IReadOnlyList<StoredDocument> puts, IReadOnlyList<DocumentKey> deletes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(puts);
        ArgumentNullException.ThrowIfNull(deletes);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using (var bump = CreateCommand(connection, BumpRevisionSql, transaction))
        {
            bump.Parameters.AddWithValue("@expected", expectedRevision);
            if (await bump.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        foreach (var key in deletes)
        {
            await using var delete = CreateCommand(connection, DeleteDocumentSql, transaction);
            delete.Parameters.AddWithValue("@kind", key.Kind);
            delete.Parameters.AddWithValue("@name", key.Name);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var document in puts)
        {
            await using var put = CreateCommand(connection, PutDocumentSql, transaction);
            put.Parameters.AddWithValue("@kind", document.Kind);
            put.Parameters.AddWithValue("@name", document.Name);
            put.Parameters.AddWithValue("@document", document.Json);
            put.Parameters.AddWithValue("@updated_at", document.UpdatedAt.ToUnixTimeMilliseconds());
            await put.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<long> ReadRevisionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, RevisionSql, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
