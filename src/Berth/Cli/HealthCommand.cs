using System.CommandLine;

namespace Berth.Cli;

/// <summary>
/// <c>berth health</c>: asks a running Berth's <c>/healthz</c> and exits 0 when it answers 200. The
/// container image's HEALTHCHECK runs it, because Microsoft's ASP.NET base image has no curl or wget.
/// </summary>
internal static class HealthCommand
{
    private const string DefaultUrl = "http://127.0.0.1:5000/healthz";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = $"the health URL to ask (default {DefaultUrl})", DefaultValueFactory = _ => DefaultUrl };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the answer (default 5)", DefaultValueFactory = _ => 5 };
        var command = new Command("health", "Exit 0 when a running Berth answers its health check, 1 otherwise") { url, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(url)!;
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                await Console.Error.WriteLineAsync($"berth health: --url must be an absolute http:// or https:// URL, got '{target}'");
                return ExitCodes.Usage;
            }

            var seconds = parse.GetValue(timeout);
            if (seconds is < 1 or > 300)
            {
                await Console.Error.WriteLineAsync("berth health: --timeout must be between 1 and 300 seconds");
                return ExitCodes.Usage;
            }

            // No proxy: the check is about this machine's Berth, never whatever HTTP_PROXY points at.
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(seconds) };
            try
            {
                using var response = await http.GetAsync(uri, cancellationToken);
                var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                if (response.IsSuccessStatusCode)
                {
                    Console.WriteLine(body.Length > 0 ? body : "ok");
                    return ExitCodes.Ok;
                }

                await Console.Error.WriteLineAsync($"berth health: {uri} answered {(int)response.StatusCode} {body}");
                return ExitCodes.Error;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"berth health: cannot reach {uri}: {e.Message}");
                return ExitCodes.Error;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"berth health: {uri} did not answer within {seconds} s");
                return ExitCodes.Error;
            }
        });
        return command;
    }
}
