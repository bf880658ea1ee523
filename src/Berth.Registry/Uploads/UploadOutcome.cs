namespace Berth.Registry.Uploads;

/// <summary>Expected outcomes of upload operations; the host maps each to its HTTP answer.</summary>
public enum UploadOutcome
{
    Accepted,
    Completed,
    UnknownUpload,
    RangeNotSatisfiable,
    DigestMismatch,
    SizeMismatch,
}
