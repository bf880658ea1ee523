namespace Berth.Auth;

/// <summary>The outcome of a change through the admin API: applied, or why not (each maps to one HTTP status).</summary>
internal sealed record FederationChange(FederationChangeOutcome Outcome, IReadOnlyList<string> Errors)
{
    public static FederationChange Applied { get; } = new(FederationChangeOutcome.Applied, []);

    public static FederationChange NotFound(string message) => new(FederationChangeOutcome.NotFound, [message]);

    public static FederationChange Conflict(string message) => new(FederationChangeOutcome.Conflict, [message]);

    public static FederationChange Forbidden(string message) => new(FederationChangeOutcome.Forbidden, [message]);

    public static FederationChange Invalid(IReadOnlyList<string> errors) => new(FederationChangeOutcome.Invalid, errors);
}

internal enum FederationChangeOutcome
{
    Applied,
    NotFound,

    /// <summary>Declared in the configuration file, or already exists, or still used by other objects.</summary>
    Conflict,

    /// <summary>The validators refused the result; the errors say why.</summary>
    Invalid,

    /// <summary>The caller (a key sync sender) is not, or no longer, allowed to make it.</summary>
    Forbidden,
}
