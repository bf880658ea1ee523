using System.CommandLine;
using System.Globalization;
using System.Text;
using Berth.Access.Audit;

namespace Berth.Cli.Admin;

/// <summary><c>berth audit [--since 1h] [--robot R] [--outcome refused] [--kind token] [--reason no_robot_matched] [--output json]</c>.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var since = new Option<string?>("--since") { Description = "how far back, e.g. 15m, 1h, 7d" };
        var robot = new Option<string?>("--robot") { Description = "entries naming this robot" };
        var issuer = new Option<string?>("--issuer") { Description = "workload token issuer" };
        var subject = new Option<string?>("--subject") { Description = "workload subject or admin token name" };
        var repository = new Option<string?>("--repository") { Description = "repository, e.g. library/app" };
        var outcome = new Option<string?>("--outcome") { Description = "accepted or refused (refused includes requested scopes that were not granted)" };
        var kind = new Option<string?>("--kind") { Description = "token, push, pull, delete, admin, key-sync or gc" };
        var reason = new Option<string?>("--reason") { Description = "exact reason, e.g. no_robot_matched or audience_mismatch (see docs/troubleshooting.md)" };
        var limit = new Option<int>("--limit") { Description = "at most this many entries", DefaultValueFactory = _ => 100 };
        var output = Output.Option();
        var command = AdminCommand.Verb("audit", "Query the audit log, newest first", since, robot, issuer, subject, repository, outcome, kind, reason, limit, output);
        command.SetAction(async (parse, ct) =>
        {
            var query = new StringBuilder("audit?limit=").Append(parse.GetValue(limit).ToString(CultureInfo.InvariantCulture));
            if (parse.GetValue(since) is { } text)
            {
                if (!DurationText.TryParse(text, out var back))
                {
                    await Console.Error.WriteLineAsync($"berth audit: --since '{text}' is not a duration such as 15m, 1h or 7d");
                    return ExitCodes.Usage;
                }

                query.Append("&since=").Append(Uri.EscapeDataString((DateTimeOffset.UtcNow - back).ToString("O", CultureInfo.InvariantCulture)));
            }

            if (parse.GetValue(outcome) is { } wanted && !AuditOutcomes.IsKnown(wanted))
            {
                await Console.Error.WriteLineAsync($"berth audit: --{AuditOutcomes.Unknown(wanted)}");
                return ExitCodes.Usage;
            }

            foreach (var (key, option) in new[] { ("robot", robot), ("issuer", issuer), ("subject", subject), ("repository", repository), ("outcome", outcome), ("kind", kind), ("reason", reason) })
            {
                if (parse.GetValue(option) is { } value)
                {
                    query.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
                }
            }

            return await AdminCommand.RunAsync(HttpMethod.Get, query.ToString(), null,
                r => Output.Write(parse.GetValue(output)!, r.Json.GetProperty("entries"), "at", "kind", "outcome", "subject", "unverified", "robots", "repository", "reason"), null, ct);
        });
        return command;
    }
}
