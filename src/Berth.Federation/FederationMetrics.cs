using System.Diagnostics.Metrics;

namespace Berth.Federation;

/// <summary>
/// Federation's instruments (meter <c>Berth.Federation</c>). Labels are bounded: identity providers are
/// named as configured (an issuer nobody configured is <c>unknown</c>), never a subject or a token.
/// </summary>
public static class FederationMetrics
{
    public const string MeterName = "Berth.Federation";

    /// <summary>The label of an exchange whose credential named no configured identity provider.</summary>
    public const string UnknownIdentityProvider = "unknown";

    /// <summary>The label of an exchange with no workload token at all (anonymous, robot secret, refresh token).</summary>
    public const string NoIdentityProvider = "none";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> TokenExchanges =
        Meter.CreateCounter<long>("berth.token.exchanges", "{exchange}", "Token requests answered, by outcome, reason code and identity provider");

    private static readonly Counter<long> KeyRefreshes =
        Meter.CreateCounter<long>("berth.idp.key.refreshes", "{refresh}", "Fetches of identity providers' signing keys, by outcome");

    /// <summary>
    /// One answered token request. <paramref name="reason"/> is a reason code (<c>signature_invalid</c>,
    /// <c>rate_limited</c>, …) or null when granted; anything that is not a plain code becomes <c>other</c>.
    /// </summary>
    public static void RecordTokenExchange(string outcome, string? reason, string identityProvider) =>
        TokenExchanges.Add(
            1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("reason", ReasonCode(reason)),
            new KeyValuePair<string, object?>("identity_provider", identityProvider));

    internal static void RecordKeyRefresh(string identityProvider, bool succeeded) =>
        KeyRefreshes.Add(
            1,
            new KeyValuePair<string, object?>("identity_provider", identityProvider),
            new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    /// <summary>The code before any detail (<c>rate_limited (client IP)</c> is <c>rate_limited</c>), limited to <c>[a-z_]</c>.</summary>
    private static string ReasonCode(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return "none";
        }

        var code = reason.Split(' ', 2)[0];
        return code.Length is > 0 and <= 40 && code.All(c => c is (>= 'a' and <= 'z') or '_') ? code : "other";
    }
}
