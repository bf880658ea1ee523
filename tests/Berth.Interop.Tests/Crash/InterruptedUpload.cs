namespace Berth.Interop.Tests.Crash;

/// <summary>
/// An upload session whose server died while a chunk was in flight: the session's path,
/// the content meant to be uploaded, and how many bytes the server had acknowledged.
/// </summary>
internal sealed record InterruptedUpload(string SessionPath, byte[] Content, int Acknowledged);
