namespace Berth.Configuration;

public sealed class PostgresSettings
{
    /// <summary>
    /// An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). It holds a secret:
    /// pass it as <c>BERTH_STORAGE__POSTGRES__CONNECTIONSTRING</c> rather than in the file; Berth never logs it.
    /// </summary>
    public string? ConnectionString { get; set; }
}
