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
        var buffer = new byte[MaxRequestBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stdin.Read(buffer, length, buffer.Length - length)) > 0)
        {
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
