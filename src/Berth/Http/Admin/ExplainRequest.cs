using System.Text.Json;

namespace Berth.Http.Admin;

/// <summary>The body of <c>POST /explain</c>: exactly one of <c>token</c> or <c>claims</c>.</summary>
/// <param name="Draft">An unsaved federated robot to check instead of the saved ones.</param>
internal sealed record ExplainRequest(string? Token, JsonElement? Claims, string? Robot, RobotCreateRequest? Draft = null);
