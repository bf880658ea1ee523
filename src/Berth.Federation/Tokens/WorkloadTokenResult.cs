using System.Diagnostics.CodeAnalysis;

namespace Berth.Federation.Tokens;

/// <summary>Either a <see cref="ValidatedWorkloadToken"/> or a <see cref="TokenRejection"/>.</summary>
public sealed record WorkloadTokenResult
{
    private WorkloadTokenResult(ValidatedWorkloadToken? token, TokenRejection? rejection)
    {
        Token = token;
        Rejection = rejection;
    }

    public ValidatedWorkloadToken? Token { get; }

    public TokenRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Token))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Token is not null;

    public static WorkloadTokenResult Valid(ValidatedWorkloadToken token) =>
        new(token ?? throw new ArgumentNullException(nameof(token)), null);

    public static WorkloadTokenResult Refused(TokenRejection rejection) =>
        new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));
}
