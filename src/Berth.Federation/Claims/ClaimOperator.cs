namespace Berth.Federation.Claims;

/// <summary>How a <see cref="ClaimRule"/> compares a claim with its value(s).</summary>
public enum ClaimOperator
{
    /// <summary><c>equals</c>: exact, ordinal string comparison.</summary>
    Equal,

    /// <summary><c>glob</c>: <c>*</c> stays within one <c>/</c> or <c>:</c> separated segment, <c>**</c> crosses them.</summary>
    Glob,

    /// <summary><c>regex</c>: anchored full match, non-backtracking, time-bounded.</summary>
    Regex,

    /// <summary><c>in</c>: equal to one of a list.</summary>
    In,
}
