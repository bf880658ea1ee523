using System.Text;

namespace Berth.Configuration;

public sealed record PostgresSettings
{
    /// <summary>
    /// An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). It holds a secret:
    /// pass it as <c>BERTH_STORAGE__POSTGRES__CONNECTIONSTRING</c> rather than in the file; Berth never logs it.
    /// </summary>
    public string? ConnectionString { get; init; }

    // A record prints every property; the connection string holds a password, so it never does.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ConnectionString = ").Append(ConnectionString is null ? "(unset)" : "(redacted)");
        return true;
    }
}
