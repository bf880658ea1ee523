namespace Berth.Data.Schema;

/// <summary>The admin document statements whose text is the same for every provider (binding and locking differ).</summary>
internal static class DocumentSql
{
    public const string RevisionSql =
        "SELECT revision FROM admin_revision WHERE id = 1";

    public const string BumpRevisionSql =
        "UPDATE admin_revision SET revision = revision + 1 WHERE id = 1 AND revision = @expected";

    public const string PutDocumentSql =
        "INSERT INTO admin_documents (kind, name, document, updated_at) VALUES (@kind, @name, @document, @updated_at) " +
        "ON CONFLICT (kind, name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at";

    public const string DeleteDocumentSql =
        "DELETE FROM admin_documents WHERE kind = @kind AND name = @name";
}
