using Berth.Registry.Content;

namespace Berth.Registry.Blobs;

/// <summary>Outcome of committing bytes under a digest.</summary>
/// <param name="Actual">The digest the bytes really have (equals the expected one on success).</param>
public sealed record IngestResult(bool Committed, Digest Actual, long Size);
