using Xunit.Sdk;

namespace Berth.Interop.Tests.Infrastructure;

/// <summary>
/// The Debian binaries a fixture drives, by full path: another program of the same name may come
/// first on PATH (this machine has a newer bare docker client in /usr/local/bin). A missing
/// package fails the tests with the command that installs it; it never skips them.
/// </summary>
internal static class DebianPackage
{
    public static void Require(string package, params string[] binaries)
    {
        var missing = binaries.Where(binary => !File.Exists(binary)).ToArray();
        if (missing.Length > 0)
        {
            throw new XunitException(
                $"{string.Join(", ", missing)} not found: install Debian's {package} (`apt-get install {package}`; ./test.sh does it)");
        }
    }
}
