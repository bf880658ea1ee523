using System.Text.Json;
using Berth.CredentialProvider.Protocol;

namespace Berth.CredentialProvider;

/// <summary>The process boundary: bounded stdin in, only the response JSON on stdout, one line on stderr on failure.</summary>
internal static class PluginApp
{
    /// <summary>A real request is a few KiB (image name, token, a handful of annotations).</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    public const int ExitOk = 0;
    public const int ExitRequestRefused = 1;
    public const int ExitUsage = 2;

    public static int Run(IReadOnlyList<string> args, string? environmentCacheKeyType, Stream stdin, Stream stdout, TextWriter stderr, DateTimeOffset now)
    {
        if (!PluginOptions.TryParse(args, environmentCacheKeyType, out var options, out var usageError))
        {
            return Fail(stderr, usageError, ExitUsage);
        }

        if (options.ShowHelp)
        {
            stderr.WriteLine(PluginOptions.Usage);
            return ExitOk;
        }

        if (!TryReadBounded(stdin, out var request))
        {
            return Fail(stderr, $"request on stdin is larger than {MaxRequestBytes / 1024 / 1024} MiB", ExitRequestRefused);
        }

        var result = CredentialPlugin.Handle(request, options, now);
        if (result.Response is null)
        {
            return Fail(stderr, result.Error ?? "no response", ExitRequestRefused);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(result.Response, ProtocolJsonContext.Default.CredentialProviderResponse);
        stdout.Write(json);
        stdout.WriteByte((byte)'\n');
        stdout.Flush();
        return ExitOk;
    }

    private static bool TryReadBounded(Stream stdin, out ReadOnlySpan<byte> request)
    {
        // Start small (a request is a few KiB) and grow up to one byte past the limit.
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > MaxRequestBytes)
                {
                    break;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxRequestBytes + 1));
            }

            var read = stdin.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        request = buffer.AsSpan(0, length);
        return length <= MaxRequestBytes;
    }

    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine($"berth-credential-provider: {message}");
        stderr.Flush();
        return exitCode;
    }
}
