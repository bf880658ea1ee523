namespace Berth.Deploy.Tests.Support;

/// <summary>deploy/systemd/berth.service as key/value lines per section (a key may repeat, as systemd allows).</summary>
internal sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> entries = [];

    public SystemdUnit(string path)
    {
        var section = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']');
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
    }

    public IEnumerable<string> Values(string section, string key) =>
        entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value);

    public string Value(string section, string key) => Values(section, key).Single();
}
