using System.Text;
using System.Text.RegularExpressions;
using Berth.Interop.Tests.Infrastructure;

namespace Berth.Interop.Tests.QuickStart;

/// <summary>
/// Follows docs/quick-start.md as a new user would: its <c>```sh</c> blocks, in order, in one bash
/// session, from a fresh copy of examples/quick-start, with skopeo. Where a test cannot do literally
/// what the document says, a named rule below changes the script, and nothing else does:
/// <list type="bullet">
/// <item><see cref="CopyFolderRule"/>: <c>cd examples/quick-start</c> goes to the copy instead, a git-ignored
///   sibling at the same depth, so <c>../../src/Berth</c> still resolves.</item>
/// <item><see cref="NoBuildRule"/>: <c>dotnet run</c> is <c>dotnet run --no-build</c> (a bash function), so the test
///   never rebuilds binaries other test processes are running.</item>
/// <item><see cref="FreePortRule"/>: port 5000 may be taken on CI; every <c>:5000</c> of the commands, of the
///   expected outputs and of the copied berth.yaml and claims becomes one free port.</item>
/// <item><see cref="BackgroundServeRule"/>: the long-running <c>serve</c> (the user's first terminal) starts in the
///   background and the script waits for <c>/healthz</c>; it is stopped when the script ends.</item>
/// <item><see cref="InternetRule"/>: the block copying from docker.io is skipped: CI has no internet.</item>
/// </list>
/// </summary>
public sealed class QuickStartTests
{
    private const string CopyFolderRule = "cd examples/quick-start";
    private const string NoBuildRule = "dotnet run";
    private const string FreePortRule = ":5000";
    private const string BackgroundServeRule = "dotnet run --project ../../src/Berth -- serve --config berth.yaml";
    private const string InternetRule = "docker://docker.io/";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task QuickStart_EveryCommandAsWritten_PushesRefusesAndPrintsWhatTheDocSays()
    {
        var root = RepositoryRoot.Find();
        var port = FreePort.Next();
        var copyName = $".quick-start-test-{Guid.NewGuid().ToString("N")[..12]}";
        var copy = Path.Combine(root, "examples", copyName);
        CopyExample(Path.Combine(root, "examples", "quick-start"), copy, port);
        try
        {
            var blocks = QuickStartDocument.ShellBlocks(await File.ReadAllTextAsync(Path.Combine(root, "docs", "quick-start.md")))
                .Select(b => b.Replace(FreePortRule, $":{port}", StringComparison.Ordinal))
                .ToList();
            Assert.Contains(blocks, b => b.Contains(InternetRule, StringComparison.Ordinal));
            Assert.Contains(blocks, b => b.Split('\n').Any(l => l.Trim() == BackgroundServeRule));

            var result = await Command.RunAsync("bash", ["-c", Script(root, blocks, copyName, port)], null, ScriptTimeout, CancellationToken.None);
            var outputs = SplitByBlock(result.StandardOutput);

            var expectations = 0;
            for (var i = 0; i < blocks.Count; i++)
            {
                if (blocks[i].Contains(InternetRule, StringComparison.Ordinal))
                {
                    continue;
                }

                Assert.True(outputs.TryGetValue(i, out var output), result.Describe($"never reached block {i}:\n{blocks[i]}"));
                foreach (var expected in QuickStartDocument.ExpectedOutputs(blocks[i]))
                {
                    expectations++;
                    Assert.True(output.Contains(expected, StringComparison.OrdinalIgnoreCase), result.Describe($"block {i} did not print `{expected}`:\n{blocks[i]}\n--- its output ---\n{output}"));
                }
            }

            // configuration ok, WWW-Authenticate, denied, no robots matched, audience_mismatch.
            Assert.True(expectations >= 5, $"only {expectations} expected outputs found in docs/quick-start.md");
            Assert.Contains("token valid: issuer https://ci.quickstart.test (local-ci)", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("\"Digest\": \"sha256:", result.StandardOutput, StringComparison.Ordinal);
            Assert.True(result.Succeeded, result.Describe("ended with an error"));

            // Where README and the quick start say the data lands: ./data beside berth.yaml, git-ignored.
            Assert.True(File.Exists(Path.Combine(copy, "data", "metadata.db")), result.Describe($"no {copy}/data/metadata.db"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static string Script(string root, IReadOnlyList<string> blocks, string copyName, int port)
    {
        var script = new StringBuilder();
        script.AppendLine("exec 2>&1");
        // As a user's shell: no BERTH_ variables of the machine, no MSBuild variables inherited from `dotnet test`.
        script.AppendLine("for name in $(compgen -e | grep -E '^(BERTH_|MSBuild|MSBUILD)'); do unset \"$name\"; done");
        script.AppendLine($"cd '{root}'");
        // Job control: the background server gets its own process group, so one kill stops dotnet run and berth.
        script.AppendLine("set -m");
        script.AppendLine($"dotnet() {{ if [ \"$1\" = run ]; then shift; command dotnet run --no-build -c {Configuration} \"$@\"; else command dotnet \"$@\"; fi; }}");
        script.AppendLine("server=");
        script.AppendLine("stop_server() { if [ -n \"$server\" ]; then kill -- -\"$server\" 2>/dev/null; wait \"$server\" 2>/dev/null; echo '### server log'; cat serve.log; fi; }");
        script.AppendLine("trap stop_server EXIT");
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Contains(InternetRule, StringComparison.Ordinal))
            {
                continue;
            }

            script.AppendLine($"echo '### block {i}'");
            foreach (var line in blocks[i].Split('\n'))
            {
                script.AppendLine(line.Trim() switch
                {
                    CopyFolderRule => $"cd examples/{copyName}",
                    BackgroundServeRule => $"""
                        {line} > serve.log 2>&1 &
                        server=$!
                        for attempt in $(seq 1 600); do
                          curl -sf -o /dev/null http://127.0.0.1:{port}/healthz && break
                          kill -0 "$server" 2>/dev/null || break
                          sleep 0.1
                        done
                        """,
                    _ => line,
                });
            }

            script.AppendLine($"echo \"### end {i} $?\"");
        }

        return script.ToString();
    }

    private static Dictionary<int, string> SplitByBlock(string output)
    {
        var blocks = new Dictionary<int, string>();
        foreach (Match block in Regex.Matches(output, @"^### block (?<n>\d+)\n(?<text>.*?)^### end \k<n> ", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            blocks[int.Parse(block.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)] = block.Groups["text"].Value;
        }

        return blocks;
    }

    /// <summary>The example's own files (what a fresh clone has), with the doc's port replaced in config and claims.</summary>
    private static void CopyExample(string example, string copy, int port)
    {
        Directory.CreateDirectory(copy);
        foreach (var file in (string[])["README.md", "berth.yaml", "ci-push.claims.json", "jwks.json", "make-image.sh", "mint-token.sh"])
        {
            File.Copy(Path.Combine(example, file), Path.Combine(copy, file));
        }

        foreach (var file in (string[])["berth.yaml", "ci-push.claims.json"])
        {
            var path = Path.Combine(copy, file);
            File.WriteAllText(path, File.ReadAllText(path).Replace(FreePortRule, $":{port}", StringComparison.Ordinal));
        }
    }
}
