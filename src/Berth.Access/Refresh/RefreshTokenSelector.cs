namespace Berth.Access.Refresh;

/// <summary>Which refresh tokens to revoke: every one bound to a robot, a workload subject, an issuer, or a robots fingerprint.</summary>
public sealed record RefreshTokenSelector(RefreshTokenSelectorKind Kind, string Value)
{
    public static RefreshTokenSelector Robot(string name) => new(RefreshTokenSelectorKind.Robot, name);

    public static RefreshTokenSelector Subject(string subject) => new(RefreshTokenSelectorKind.Subject, subject);

    public static RefreshTokenSelector Issuer(string issuer) => new(RefreshTokenSelectorKind.Issuer, issuer);

    public static RefreshTokenSelector Fingerprint(string fingerprint) => new(RefreshTokenSelectorKind.Fingerprint, fingerprint);
}

/// <summary>What a <see cref="RefreshTokenSelector"/> compares.</summary>
public enum RefreshTokenSelectorKind
{
    Robot,
    Subject,
    Issuer,
    Fingerprint,
}
