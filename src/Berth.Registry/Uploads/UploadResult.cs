using Berth.Registry.Content;

namespace Berth.Registry.Uploads;

/// <param name="Size">Bytes staged so far (or the committed blob's size).</param>
/// <param name="Digest">The committed blob's digest when <see cref="UploadOutcome.Completed"/>.</param>
public sealed record UploadResult(UploadOutcome Outcome, Guid Upload, long Size, Digest? Digest = null);
