using Berth.Access.Scopes;

namespace Berth.Access.Tokens;

/// <summary>
/// The result of checking a Bearer token on <c>/v2</c>: either the granted <see cref="Access"/> with the
/// token's subject and id, or a <see cref="FailureReason"/> from <see cref="RegistryTokenFailure"/>.
/// </summary>
public sealed record RegistryTokenVerification
{
    public bool IsValid => FailureReason is null;

    public string? FailureReason { get; init; }

    public string Subject { get; init; } = "";

    public string TokenId { get; init; } = "";

    public DateTimeOffset ExpiresAt { get; init; }

    public IReadOnlyList<ResourceScope> Access { get; init; } = [];

    /// <summary>The robots the token was issued for (Berth's <c>robots</c> claim), for audit and revocation.</summary>
    public IReadOnlyList<string> Robots { get; init; } = [];

    public static RegistryTokenVerification Failed(string reason) => new() { FailureReason = reason };
}
