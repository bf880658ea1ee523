namespace Berth.Http.Admin;

/// <summary>
/// The body of <c>PUT /robots/{name}</c>: replaces rules, permissions and settings. The name is the path's and a
/// classic robot keeps its secret (a <c>name</c> or <c>secret</c> in the body is ignored).
/// </summary>
internal sealed record RobotUpdateRequest : RobotFields;
