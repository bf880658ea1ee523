namespace Berth.Registry.Metadata;

/// <summary>Brings a metadata store to the current schema before the server answers /healthz.</summary>
public interface IMetadataStoreLifecycle
{
    /// <summary>Creates the database when missing and applies pending versioned migrations.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
