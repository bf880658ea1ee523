namespace Berth.Configuration;

public sealed record StorageSettings
{
    public const string SqliteMetadata = "sqlite";

    public const string PostgresMetadata = "postgres";

    public const string FileSystemBlobs = "filesystem";

    public const string S3Blobs = "s3";

    /// <summary>
    /// Folder for blobs, upload staging, signing keys and (with <c>sqlite</c> metadata) the metadata database.
    /// Relative: to the config file's folder when set there, else to the working folder (<see cref="ConfigFilePaths"/>).
    /// </summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>Where the metadata lives: <c>sqlite</c> (a file in <see cref="DataDir"/>) or <c>postgres</c> (shared by replicas).</summary>
    public string Metadata { get; init; } = SqliteMetadata;

    /// <summary>The PostgreSQL database when <see cref="Metadata"/> is <c>postgres</c>.</summary>
    public PostgresSettings Postgres { get; init; } = new();

    public bool UsesPostgres => Metadata == PostgresMetadata;

    /// <summary>Where blob bytes live: <c>filesystem</c> (under <see cref="DataDir"/>) or <c>s3</c> (a bucket shared by replicas).</summary>
    public string Blobs { get; init; } = FileSystemBlobs;

    /// <summary>The bucket when <see cref="Blobs"/> is <c>s3</c>.</summary>
    public S3Settings S3 { get; init; } = new();

    public bool UsesS3 => Blobs == S3Blobs;
}
