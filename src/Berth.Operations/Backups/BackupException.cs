namespace Berth.Backups;

/// <summary>A backup or restore that cannot go on; the message is the one line <c>berth</c> prints.</summary>
internal sealed class BackupException : Exception
{
    public BackupException()
    {
    }

    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
