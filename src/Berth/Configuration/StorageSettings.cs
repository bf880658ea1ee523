namespace Berth.Configuration;

public sealed class StorageSettings
{
    public const string SqliteMetadata = "sqlite";

    public const string PostgresMetadata = "postgres";

    /// <summary>
    /// Folder for blobs, upload staging, signing keys and (with <c>sqlite</c> metadata) the metadata database.
    /// Relative: to the config file's folder when set there, else to the working folder (<see cref="ConfigFilePaths"/>).
    /// </summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Where the metadata lives: <c>sqlite</c> (a file in <see cref="DataDir"/>) or <c>postgres</c> (shared by replicas).</summary>
    public string Metadata { get; set; } = SqliteMetadata;

    /// <summary>The PostgreSQL database when <see cref="Metadata"/> is <c>postgres</c>.</summary>
    public PostgresSettings Postgres { get; set; } = new();

    public bool UsesPostgres => Metadata == PostgresMetadata;
}
