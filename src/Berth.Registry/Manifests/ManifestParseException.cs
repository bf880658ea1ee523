namespace Berth.Registry.Manifests;

/// <summary>A manifest the registry refuses, with a message for the client (OCI code MANIFEST_INVALID).</summary>
public sealed class ManifestParseException : Exception
{
    public ManifestParseException(string message)
        : base(message)
    {
    }

    public ManifestParseException()
    {
    }

    public ManifestParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
