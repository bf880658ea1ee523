namespace Berth.Access.Refresh;

/// <summary>
/// One robots fingerprint stored with refresh tokens, and the robots it was computed over: what a sweep
/// needs to find tokens whose robots changed while no replica was running (a configuration file edited
/// across a restart), without reading every token.
/// </summary>
public sealed record RefreshTokenBinding(string RobotsFingerprint, IReadOnlyList<string> Robots);
