using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Deploy.Tests.Support;

/// <summary>
/// deploy/Dockerfile read as Docker reads it, for what the tests run: continuation lines joined, comments dropped,
/// instructions grouped by stage. Only the forms the file uses are understood (exec-form JSON arrays, KEY=value ENV).
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<Stage>();
        var logical = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && logical.Length == 0))
            {
                continue;
            }

            logical += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (line.EndsWith('\\'))
            {
                continue;
            }

            var parts = logical.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            logical = string.Empty;
            if (parts.Length == 0)
            {
                continue;
            }

            var instruction = new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? Spaces().Replace(parts[1], " ").Trim() : string.Empty);
            if (instruction.Keyword == "FROM")
            {
                var from = instruction.Arguments.Split(' ');
                stages.Add(new Stage(from[0], from.Length == 3 ? from[2] : null, new List<Instruction>()));
            }
            else
            {
                ((List<Instruction>)stages[^1].Instructions).Add(instruction);
            }
        }

        return new Dockerfile(stages);
    }

    /// <summary>An exec-form array (<c>["a", "b"]</c>) as its words.</summary>
    public static IReadOnlyList<string> ExecForm(string arguments) =>
        JsonSerializer.Deserialize<string[]>(arguments) ?? throw new FormatException($"not an exec-form array: {arguments}");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    internal sealed record Instruction(string Keyword, string Arguments);

    internal sealed partial record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

        public string Last(string keyword) =>
            All(keyword).LastOrDefault()?.Arguments ?? throw new InvalidOperationException($"the stage from {Image} has no {keyword}");

        /// <summary>ENV KEY=value pairs in order (a value may be empty or double-quoted), with <c>$VAR</c> of <paramref name="inherited"/> expanded.</summary>
        public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> inherited)
        {
            var environment = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
            foreach (var env in All("ENV"))
            {
                foreach (Match pair in EnvPair().Matches(env.Arguments))
                {
                    environment[pair.Groups["key"].Value] = Expand(pair.Groups["quoted"].Success ? pair.Groups["quoted"].Value : pair.Groups["bare"].Value, environment);
                }
            }

            return environment;
        }

        public static string Expand(string value, IReadOnlyDictionary<string, string> environment) =>
            Variable().Replace(value, m => environment.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new KeyNotFoundException($"${m.Groups[1].Value} is not set"));

        [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?:""(?<quoted>[^""]*)""|(?<bare>[^\s""]*))")]
        private static partial Regex EnvPair();

        [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
        private static partial Regex Variable();
    }
}
