namespace Berth.Configuration;

public sealed record ServerSettings
{
    /// <summary>Address and port to listen on, e.g. <c>127.0.0.1:5000</c> or <c>0.0.0.0:443</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:5000";

    /// <summary>The URL clients reach Berth at; the token realm and service name derive from it.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>The token service name (<c>service=</c> and the registry token audience); defaults to the public URL's host.</summary>
    public string? Service { get; init; }

    /// <summary>Allows open mode (no credentials at all) on a non-loopback address.</summary>
    public bool InsecureOpen { get; init; }

    /// <summary><c>text</c> or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>
    /// How often objects made through the admin API are re-read from the metadata store, so changes made
    /// through another replica apply here too (a disabled robot stops working within this time).
    /// </summary>
    public TimeSpan FederationReloadInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the admin token from <c>berth login</c> lives unless <c>--expires</c> says otherwise: like
    /// <c>gh auth</c> or <c>kubectl</c> credentials, a login ends; tokens for automation come from
    /// <c>berth token create</c>.
    /// </summary>
    public TimeSpan AdminLoginLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Audits admins' reads (GET and HEAD under <c>/api/v1</c>) too. Off by default: every console page view
    /// is a read, and the audit log is for changes and registry events; refused sign-ins are audited either way.
    /// </summary>
    public bool AuditAdminReads { get; init; }

    /// <summary>How long a graceful shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS served by Berth itself; off unless both files are set.</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>
    /// Proxies and load balancers (CIDRs or addresses) whose X-Forwarded-For/-Proto/-Host and Forwarded
    /// headers give the client's address, scheme and host; everyone else's such headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; init; } = [];

    /// <summary>
    /// A second ADDRESS:PORT that serves <c>/metrics</c> (and only that) without credentials, for a
    /// Prometheus scraper on a private network. Unset: <c>/metrics</c> is on the main listener for
    /// administrators only (an admin token as Bearer).
    /// </summary>
    public string? MetricsListen { get; init; }
}
