using System.Net;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>A manifest as the registry served it: status, headers that matter, exact bytes.</summary>
internal sealed record ManifestResponse(HttpStatusCode Status, string? MediaType, string? Digest, byte[] Body);
