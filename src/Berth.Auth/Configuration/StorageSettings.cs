namespace Berth.Configuration;

public sealed class StorageSettings
{
    public const string SqliteMetadata = "sqlite";

    public const string PostgresMetadata = "postgres";

    public const string FileSystemBlobs = "filesystem";

    public const string S3Blobs = "s3";

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

    /// <summary>Where blob bytes live: <c>filesystem</c> (under <see cref="DataDir"/>) or <c>s3</c> (a bucket shared by replicas).</summary>
    public string Blobs { get; set; } = FileSystemBlobs;

    /// <summary>The bucket when <see cref="Blobs"/> is <c>s3</c>.</summary>
    public S3Settings S3 { get; set; } = new();

    public bool UsesS3 => Blobs == S3Blobs;
}
