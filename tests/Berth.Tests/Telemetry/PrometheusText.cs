using System.Globalization;
using System.Text;

namespace Berth.Tests.Telemetry;

/// <summary>One sample of a Prometheus text exposition: <c>name{label="value",…} value [timestamp]</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A parser for the Prometheus text format (version 0.0.4) as a scraper reads it: comments and blank lines
/// skipped, label values unescaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), special values (<c>+Inf</c>, <c>NaN</c>) understood.
/// Malformed lines fail the test: what Berth serves must parse.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<PrometheusSample> samples) => Samples = samples;

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            samples.Add(ParseLine(line));
        }

        return new PrometheusText(samples);
    }

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    private static PrometheusSample ParseLine(string line)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }

        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals].Trim();
                position = equals + 1;
                Assert.True(line[position] == '"', $"label value not quoted in: {line}");
                position++;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] == 'n' ? '\n' : line[position]);
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                labels[label] = value.ToString();
                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        var fields = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(fields.Length is 1 or 2, $"not a sample line: {line}");
        return new PrometheusSample(name, labels, ParseValue(fields[0]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
