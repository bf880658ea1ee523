using System.CommandLine;

namespace Berth.Cli.Admin;

/// <summary>Runs one admin API call for a verb: logged-in client, send, print or fail.</summary>
internal static class AdminCommand
{
    /// <param name="print">Prints the successful answer; null prints <paramref name="done"/>.</param>
    public static async Task<int> RunAsync(HttpMethod method, string path, object? body, Action<AdminResponse>? print, string? done, CancellationToken cancellationToken)
    {
        using var client = await AdminClient.FromLoginAsync(cancellationToken);
        if (client is null)
        {
            return ExitCodes.Error;
        }

        var response = await client.SendAsync(method, path, body, cancellationToken);
        if (!response.Ok)
        {
            return await response.FailAsync();
        }

        if (print is not null)
        {
            print(response);
        }
        else if (done is not null)
        {
            Console.WriteLine(done);
        }

        return ExitCodes.Ok;
    }

    public static Argument<string> Name(string description = "the name") => new("NAME") { Description = description };

    public static Command Verb(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        return command;
    }
}
