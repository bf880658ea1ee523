using System.CommandLine;
using Berth.Access.Refresh;

namespace Berth.Cli;

/// <summary>
/// <c>berth hash-secret</c>: makes a classic robot's secret and the <c>secretHash</c> for the
/// config file. Only the hash is ever stored; the secret is printed once.
/// </summary>
internal static class HashSecretCommand
{
    public static Command Create()
    {
        var stdin = new Option<bool>("--stdin") { Description = "hash a secret read from standard input instead of generating one" };
        var command = new Command("hash-secret", "Generate a robot secret and print it with its secretHash") { stdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string secret;
            if (parse.GetValue(stdin))
            {
                secret = (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? string.Empty;
                if (secret.Length < 16)
                {
                    await Console.Error.WriteLineAsync("berth: a robot secret must be at least 16 characters; omit --stdin to generate a strong one");
                    return ExitCodes.Usage;
                }
            }
            else
            {
                secret = SecretHasher.Generate();
                Console.WriteLine($"secret:     {secret}");
            }

            Console.WriteLine($"secretHash: {SecretHasher.Hash(secret)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
