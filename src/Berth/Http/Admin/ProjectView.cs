namespace Berth.Http.Admin;

/// <param name="ManagedBy"><c>config</c> (the file; read-only here) or <c>api</c>.</param>
internal sealed record ProjectView(string Name, bool Public, string ManagedBy);
