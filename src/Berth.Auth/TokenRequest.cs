namespace Berth.Auth;

/// <summary>A token request from either form of the realm (GET with Basic auth, or the OAuth2 POST form).</summary>
/// <param name="Username">The login username (Basic user, <c>account</c> or form <c>username</c>).</param>
/// <param name="Password">A workload JWT or a classic robot's secret; null for anonymous or refresh.</param>
/// <param name="RefreshToken">Set for <c>grant_type=refresh_token</c>.</param>
/// <param name="Scopes">Every <c>scope</c> value as sent (repeated and/or space separated).</param>
/// <param name="Offline">A refresh token was asked for (<c>offline_token=true</c> or <c>access_type=offline</c>).</param>
internal sealed record TokenRequest(
    string? Username,
    string? Password,
    string? RefreshToken,
    IReadOnlyList<string?> Scopes,
    bool Offline,
    string? ClientIp);
