using Berth.Access.Admin;

namespace Berth.Data.Postgres;

/// <summary>
/// Objects created through the admin API, one JSON document per (kind, name) (<see cref="IDocumentStore"/>).
/// A put is one upsert statement, so two replicas saving the same object leave one row, the last writer's.
/// </summary>
public sealed partial class NpgsqlMetadataStore : IDocumentStore
{
    private const string ListDocumentsSql =
        "SELECT kind, name, document, updated_at FROM admin_documents ORDER BY kind, name";

    private const string PutDocumentSql =
        "INSERT INTO admin_documents (kind, name, document, updated_at) VALUES (@kind, @name, @document, @updated_at) " +
        "ON CONFLICT (kind, name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at";

    private const string DeleteDocumentSql =
        "DELETE FROM admin_documents WHERE kind = @kind AND name = @name";

    public async Task<IReadOnlyList<StoredDocument>> ListDocumentsAsync(CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(ListDocumentsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var documents = new List<StoredDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new StoredDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMilliseconds(reader.GetInt64(3))));
        }

        return documents;
    }

    public async Task PutDocumentAsync(StoredDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var command = CreateCommand(PutDocumentSql);
        AddText(command, "@kind", document.Kind);
        AddText(command, "@name", document.Name);
        AddText(command, "@document", document.Json);
        AddBigint(command, "@updated_at", document.UpdatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteDocumentAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(DeleteDocumentSql);
        AddText(command, "@kind", kind);
        AddText(command, "@name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
