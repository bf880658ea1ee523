namespace Berth.Data;

/// <summary>
/// The database holds a schema version this Berth does not know: a newer Berth migrated it. Migrations are
/// forward-only, so an older binary must not read or write it; the message is one line an operator can act on.
/// </summary>
public sealed class SchemaTooNewException : InvalidOperationException
{
    public SchemaTooNewException()
    {
    }

    public SchemaTooNewException(string message)
        : base(message)
    {
    }

    public SchemaTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaTooNewException(string target, int applied, int known)
        : base($"the metadata database {target} has schema version {applied}, newer than this Berth knows ({known}): " +
               "a newer Berth migrated it and migrations only go forward; run that version (or newer) of Berth, or restore a backup taken before the upgrade")
    {
    }
}
