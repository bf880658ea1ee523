using System.Text;
using Microsoft.Extensions.Primitives;

namespace Berth.Http;

/// <summary>
/// Turns an RFC 7239 <c>Forwarded</c> header into the X-Forwarded-For/-Proto/-Host lists that ASP.NET Core's
/// forwarded-headers middleware reads next, so that middleware alone decides whom to believe. A request that
/// carries both kinds is ambiguous (a client may have added one, the proxy the other): both are dropped and
/// the connection's own address, scheme and host stand.
/// </summary>
internal sealed class ForwardedHeaderTranslation(RequestDelegate next)
{
    private const string Forwarded = "Forwarded";
    private const string XForwardedFor = "X-Forwarded-For";
    private const string XForwardedProto = "X-Forwarded-Proto";
    private const string XForwardedHost = "X-Forwarded-Host";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue(Forwarded, out var forwarded))
        {
            if (headers.ContainsKey(XForwardedFor) || headers.ContainsKey(XForwardedProto) || headers.ContainsKey(XForwardedHost))
            {
                headers.Remove(Forwarded);
                headers.Remove(XForwardedFor);
                headers.Remove(XForwardedProto);
                headers.Remove(XForwardedHost);
            }
            else
            {
                Translate(headers, forwarded);
            }
        }

        return next(context);
    }

    private static void Translate(IHeaderDictionary headers, StringValues forwarded)
    {
        var fors = new List<string>();
        var protos = new List<string>();
        var hosts = new List<string>();
        foreach (var element in Elements(forwarded))
        {
            // An element without for= cannot be lined up with the others: stop believing the header there.
            if (!element.TryGetValue("for", out var client))
            {
                return;
            }

            fors.Add(client);
            if (element.TryGetValue("proto", out var proto))
            {
                protos.Add(proto);
            }

            if (element.TryGetValue("host", out var host))
            {
                hosts.Add(host);
            }
        }

        headers[XForwardedFor] = string.Join(", ", fors);
        if (protos.Count > 0)
        {
            headers[XForwardedProto] = string.Join(", ", protos);
        }

        if (hosts.Count > 0)
        {
            headers[XForwardedHost] = string.Join(", ", hosts);
        }
    }

    /// <summary>
    /// <c>for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"</c>: elements split on commas and pairs on
    /// semicolons outside quoted strings; names are case-insensitive, quoted values unescaped.
    /// </summary>
    internal static IReadOnlyList<Dictionary<string, string>> Elements(StringValues headerValues)
    {
        var elements = new List<Dictionary<string, string>>();
        foreach (var header in headerValues)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            var element = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var token = new StringBuilder();
            string? name = null;
            var quoted = false;
            for (var i = 0; i <= header.Length; i++)
            {
                var c = i < header.Length ? header[i] : ',';
                if (quoted)
                {
                    if (c == '\\' && i + 1 < header.Length)
                    {
                        token.Append(header[++i]);
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        token.Append(c);
                    }

                    continue;
                }

                switch (c)
                {
                    case '"':
                        quoted = true;
                        break;
                    case '=' when name is null:
                        name = token.ToString().Trim();
                        token.Clear();
                        break;
                    case ';' or ',':
                        if (name is not null)
                        {
                            element[name] = token.ToString().Trim();
                        }

                        name = null;
                        token.Clear();
                        if (c == ',' && element.Count > 0)
                        {
                            elements.Add(element);
                            element = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        }

                        break;
                    default:
                        token.Append(c);
                        break;
                }
            }
        }

        return elements;
    }
}
