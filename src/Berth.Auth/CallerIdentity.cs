using Berth.Access.Permissions;

namespace Berth.Auth;

/// <summary>Who is calling, after authentication, and what their robots may do (public pulls come on top for everyone).</summary>
/// <param name="Kind">federated, classic, refresh or anonymous.</param>
/// <param name="Subject">The workload's <c>sub</c>, the classic robot's name, or empty for anonymous.</param>
/// <param name="TokenId">The workload token's <c>jti</c> (never the token itself).</param>
/// <param name="NotAfter">Registry tokens bought by this identity must expire by then.</param>
internal sealed record CallerIdentity(
    string Kind,
    string Subject,
    string? Issuer,
    string? TokenId,
    IReadOnlyList<string> Robots,
    IReadOnlyList<Permission> Permissions,
    DateTimeOffset? NotAfter)
{
    public const string Federated = "federated";
    public const string Classic = "classic";
    public const string Refreshed = "refresh";
    public const string AnonymousKind = "anonymous";

    public bool IsAnonymous => Kind == AnonymousKind;
}
