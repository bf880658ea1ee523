namespace Berth.Kube;

/// <summary>A cluster's service-account issuer and its public keys, as its API server published them.</summary>
/// <param name="Server">The API server they were read from, for messages.</param>
/// <param name="Jwks">The JWKS document exactly as served, to paste into Berth.</param>
public sealed record ClusterIssuer(string Server, string Issuer, string Jwks, IReadOnlyList<string> KeyIds);
