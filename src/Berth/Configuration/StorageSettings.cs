namespace Berth.Configuration;

public sealed class StorageSettings
{
    /// <summary>Folder for the SQLite metadata database, blobs, upload staging and signing keys.</summary>
    public string DataDir { get; set; } = "./data";
}
