using System.Net.Http.Headers;

namespace Berth.Kube;

/// <summary>The realm and service of a registry's <c>WWW-Authenticate: Bearer realm="…",service="…"</c> challenge.</summary>
internal sealed record RegistryChallenge(Uri Realm, string Service)
{
    /// <summary>Reads the Bearer challenge among a 401's <c>WWW-Authenticate</c> headers; null when there is none or it lacks a realm.</summary>
    public static RegistryChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges, string fallbackService)
    {
        foreach (var challenge in challenges)
        {
            if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is null)
            {
                continue;
            }

            var parameters = Parse(challenge.Parameter);
            if (parameters.TryGetValue("realm", out var realm) && Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            {
                return new RegistryChallenge(realmUri, parameters.TryGetValue("service", out var service) && service.Length > 0 ? service : fallbackService);
            }
        }

        return null;
    }

    /// <summary>Splits <c>key="value",key2="value, with comma"</c>; quoted values may hold commas and escaped quotes.</summary>
    internal static Dictionary<string, string> Parse(string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameter.Length)
        {
            while (i < parameter.Length && (parameter[i] == ',' || char.IsWhiteSpace(parameter[i])))
            {
                i++;
            }

            var equals = parameter.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = parameter[i..equals].Trim();
            i = equals + 1;
            var value = new System.Text.StringBuilder();
            if (i < parameter.Length && parameter[i] == '"')
            {
                i++;
                while (i < parameter.Length && parameter[i] != '"')
                {
                    if (parameter[i] == '\\' && i + 1 < parameter.Length)
                    {
                        i++;
                    }

                    value.Append(parameter[i]);
                    i++;
                }

                i++; // closing quote
            }
            else
            {
                var comma = parameter.IndexOf(',', i);
                var end = comma < 0 ? parameter.Length : comma;
                value.Append(parameter[i..end].Trim());
                i = end;
            }

            result[key] = value.ToString();
        }

        return result;
    }
}
