namespace Berth.CredentialProvider.Images;

/// <summary>
/// Finds the registry (host[:port]) of an image reference the way the container tooling does
/// (distribution/reference): the first path component is a registry when it contains '.' or ':',
/// is "localhost" or has upper-case letters; otherwise the image lives on Docker Hub.
/// Tags and digests never reach the registry part: "host:5000/team/app:1.0",
/// "host/app@sha256:…" and "host:5000/app:1@sha256:…" all give the host with its port.
/// </summary>
internal static class ImageReference
{
    public const string DockerHub = "docker.io";

    public static bool TryGetRegistry(string image, out string registry, out string error)
    {
        registry = string.Empty;
        error = string.Empty;

        var name = image.Trim();
        if (name.Length == 0)
        {
            error = "the request has an empty image";
            return false;
        }

        if (name.Contains("://", StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            error = $"image \"{image}\" is not an image reference";
            return false;
        }

        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = name[..at];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            registry = DockerHub;
            return name.Length > 0 || Fail(image, out error);
        }

        var first = name[..slash];
        if (slash == name.Length - 1 || !LooksLikeRegistry(first))
        {
            registry = DockerHub;
            return (first.Length > 0 && slash < name.Length - 1) || Fail(image, out error);
        }

        if (!IsValidHostPort(first))
        {
            return Fail(image, out error);
        }

        registry = first;
        return true;
    }

    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.', StringComparison.Ordinal)
        || component.Contains(':', StringComparison.Ordinal)
        || component == "localhost"
        || component.Any(char.IsAsciiLetterUpper);

    private static bool IsValidHostPort(string hostPort)
    {
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            // IPv6 literal: [::1]:5000
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = hostPort[1..close];
            var rest = hostPort[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                port = rest[1..];
            }

            if (!host.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            port = colon >= 0 ? hostPort[(colon + 1)..] : null;
            if (host.Length == 0 || host.StartsWith('.') || host.EndsWith('.') || host.StartsWith('-')
                || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return port is null
            || (port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 65535);
    }

    private static bool Fail(string image, out string error)
    {
        error = $"image \"{image}\" has no valid registry host";
        return false;
    }
}
