namespace Berth.Access.Admin;

/// <summary>Objects managed through the admin API, one JSON document per (kind, name).</summary>
public interface IDocumentStore
{
    /// <summary>Every document, ordered by kind then name.</summary>
    Task<IReadOnlyList<StoredDocument>> ListDocumentsAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the document.</summary>
    Task PutDocumentAsync(StoredDocument document, CancellationToken cancellationToken);

    Task<bool> DeleteDocumentAsync(string kind, string name, CancellationToken cancellationToken);
}
