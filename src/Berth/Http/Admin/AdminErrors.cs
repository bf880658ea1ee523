using Berth.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Http.Admin;

/// <summary>The body of every admin API refusal: one or more messages that say what to do.</summary>
internal sealed record AdminErrors(IReadOnlyList<string> Errors)
{
    public static AdminErrors Of(string message) => new([message]);

    /// <summary>Maps a refused federation change to 400 (validation), 404 or 409 (config-managed, exists, in use).</summary>
    public static Results<TOk, BadRequest<AdminErrors>, NotFound<AdminErrors>, Conflict<AdminErrors>> Refusal<TOk>(FederationChange change)
        where TOk : IResult => change.Outcome switch
    {
        FederationChangeOutcome.NotFound => TypedResults.NotFound(new AdminErrors(change.Errors)),
        FederationChangeOutcome.Conflict => TypedResults.Conflict(new AdminErrors(change.Errors)),
        _ => TypedResults.BadRequest(new AdminErrors(change.Errors)),
    };
}
