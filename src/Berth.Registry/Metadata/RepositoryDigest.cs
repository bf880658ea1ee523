using Berth.Registry.Content;

namespace Berth.Registry.Metadata;

/// <summary>A digest in one repository: a manifest or a blob link; also the keyset position of a page.</summary>
public sealed record RepositoryDigest(string Repository, Digest Digest);
