namespace Berth.Configuration;

public sealed class ServerSettings
{
    /// <summary>Address and port to listen on, e.g. <c>127.0.0.1:5000</c> or <c>0.0.0.0:443</c>.</summary>
    public string Listen { get; set; } = "127.0.0.1:5000";

    /// <summary>The URL clients reach Berth at; the token realm and service name derive from it.</summary>
    public string? PublicUrl { get; set; }

    /// <summary><c>text</c> or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>How long a graceful shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
