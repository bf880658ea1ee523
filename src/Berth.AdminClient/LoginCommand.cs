using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Cli.Admin;

/// <summary>
/// <c>berth login URL --username admin --password-stdin</c>: exchanges the administrator password for an
/// admin token and stores it (never the password) in the user's config directory with mode 0600.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "the Berth server, e.g. https://registry.example.com" };
        var username = new Option<string>("--username", "-u") { Description = "administrator name", DefaultValueFactory = _ => "admin" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from standard input (required: passwords never go on the command line)" };
        var expires = new Option<string?>("--expires") { Description = "token lifetime such as 8h or 30d (default: the server's server.adminLoginLifetime, 12h unless set)" };
        var command = new Command("login", "Log in to a Berth server as administrator and store an admin token") { url, username, passwordStdin, expires };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(passwordStdin))
            {
                await Console.Error.WriteLineAsync("berth login: pass --password-stdin and pipe the password, e.g. echo \"$BERTH_ADMIN_PASSWORD\" | berth login URL --username admin --password-stdin");
                return ExitCodes.Usage;
            }

            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"berth login: '{parse.GetValue(url)}' is not a server URL such as https://registry.example.com");
                return ExitCodes.Usage;
            }

            var password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n') ?? string.Empty;
            var baseAddress = new Uri(server.AbsoluteUri.TrimEnd('/') + "/api/v1/");
            var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{parse.GetValue(username)}:{password}")));
            var name = $"cli-{Environment.UserName}-{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            using var client = new AdminClient(baseAddress, basic);
            var response = await client.SendAsync(HttpMethod.Post, "tokens", new { name, expiresIn = parse.GetValue(expires), login = true }, cancellationToken);
            if (!response.Ok)
            {
                return await response.FailAsync();
            }

            await new CredentialsFile(baseAddress.AbsoluteUri, response.Json.GetProperty("token").GetString()!, name).SaveAsync(cancellationToken);
            var expiry = response.Json.TryGetProperty("expiresAt", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String
                ? $", expires {at.GetDateTimeOffset().ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}"
                : string.Empty;
            Console.WriteLine($"logged in to {server} as {parse.GetValue(username)} (admin token '{name}'{expiry}, stored in {CredentialsFile.Path})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
