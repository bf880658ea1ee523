namespace Berth.Registry.Manifests;

public enum ManifestPutOutcome
{
    Created,
    Invalid,
    DigestMismatch,
    ReferencesUnknown,
    TagInvalid,
}
