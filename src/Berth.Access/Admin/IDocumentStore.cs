namespace Berth.Access.Admin;

/// <summary>
/// Objects managed through the admin API, one JSON document per (kind, name), under one revision
/// number that every write moves on. Writes are compare-and-swap on that revision, so replicas that
/// validate a change against what they read can never interleave two changes that only fit apart.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Every document (ordered by kind then name) with the revision they form, read together.</summary>
    Task<DocumentSet> ReadDocumentsAsync(CancellationToken cancellationToken);

    /// <summary>The revision alone: cheap enough for replicas to poll.</summary>
    Task<long> GetDocumentsRevisionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, when the store is still at <paramref name="expectedRevision"/>: deletes, then
    /// inserts or replaces, and moves the revision on by one. False, with nothing written, when another
    /// writer moved it first (read again and decide again).
    /// </summary>
    Task<bool> WriteDocumentsAsync(long expectedRevision, IReadOnlyList<StoredDocument> puts, IReadOnlyList<DocumentKey> deletes, CancellationToken cancellationToken);
}

/// <summary>The documents and the revision they were read at.</summary>
public sealed record DocumentSet(long Revision, IReadOnlyList<StoredDocument> Documents);

/// <summary>Which document: its kind and name.</summary>
public sealed record DocumentKey(string Kind, string Name);
