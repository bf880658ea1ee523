namespace Berth.Http.Admin;

/// <summary>The body of <c>POST /robots</c>, and the unsaved robot of <c>POST /robots/lint</c> and the explain draft.</summary>
internal sealed record RobotCreateRequest : RobotFields
{
    public string Name { get; init; } = string.Empty;

    /// <summary>True: a classic robot; Berth generates its secret and returns it once.</summary>
    public bool Secret { get; init; }
}
