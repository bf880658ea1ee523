// The load driver of bench/soak.sh. Against one Berth for --duration seconds on --connections connections,
// each worker loops over a fixed mix: 4 manifest GETs, 3 blob pulls (64 KiB), 2 token exchanges (workload
// JWT → registry token) and 1 push of a fresh 4 KiB blob (POST ?digest=) in every 10 calls. Prints a
// Markdown report: errors (anything but 2xx, or no answer), p99 per minute (all calls and per kind), and the
// server's RSS (VmRSS of --pid) at start, middle and end, with its spread after the first minute (warm-up).
// Exit code 1 when an error happened or the RSS spread after warm-up exceeds 64 MiB.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

var options = Options.Parse(args);
var jwt = (await File.ReadAllTextAsync(options.JwtFile)).Trim();
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
const string Repository = "library/app/soak";
const string Accept = "application/vnd.oci.image.manifest.v1+json";
var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("not-relevant:" + jwt)));
var tokenPath = $"/service/token?service={Uri.EscapeDataString(options.Service)}&scope={Uri.EscapeDataString($"repository:{Repository}:pull,push")}";

async Task<string> ExchangeAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Get, tokenPath);
    request.Headers.Authorization = basic;
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return body.RootElement.GetProperty("token").GetString()!;
}

static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

async Task<HttpResponseMessage> PushBlobAsync(string bearer, byte[] content)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{Repository}/blobs/uploads/?digest={DigestOf(content)}") { Content = new ByteArrayContent(content) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    return await http.SendAsync(request);
}

// Seed: one image (config + 64 KiB layer) tagged v1, pushed with a registry token.
var bearer = await ExchangeAsync();
var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
var layer = RandomNumberGenerator.GetBytes(64 * 1024);
foreach (var blob in new[] { config, layer })
{
    using var pushed = await PushBlobAsync(bearer, blob);
    pushed.EnsureSuccessStatusCode();
}

var manifest = $$"""{"schemaVersion":2,"mediaType":"{{Accept}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{DigestOf(layer)}}","size":{{layer.Length}}}]}""";
using (var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/{Repository}/manifests/v1") { Content = new StringContent(manifest) })
{
    put.Content.Headers.ContentType = new MediaTypeHeaderValue(Accept);
    put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    using var response = await http.SendAsync(put);
    response.EnsureSuccessStatusCode();
}

var layerDigest = DigestOf(layer);
var kinds = new[] { "manifest", "manifest", "manifest", "manifest", "blob", "blob", "blob", "token", "token", "push" };
var minutes = (int)Math.Ceiling(options.Duration.TotalMinutes);
var samples = new Samples(minutes);
var rss = new List<(double Seconds, long Kib)>();
var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(options.Duration);

// The registry token lives a few minutes: one exchange renews the shared one every minute.
var renew = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(60), stop.Token);
            Volatile.Write(ref bearer, await ExchangeAsync());
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }
});

var sampler = Task.Run(async () =>
{
    while (true)
    {
        lock (rss)
        {
            rss.Add((clock.Elapsed.TotalSeconds, ReadRssKib(options.Pid)));
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
        }
        catch (OperationCanceledException)
        {
            lock (rss)
            {
                rss.Add((clock.Elapsed.TotalSeconds, ReadRssKib(options.Pid)));
            }

            return;
        }
    }
});

async Task WorkAsync(int worker)
{
    for (var i = worker; !stop.IsCancellationRequested; i++)
    {
        var kind = kinds[i % kinds.Length];
        var started = Stopwatch.GetTimestamp();
        string? error;
        try
        {
            error = kind switch
            {
                "manifest" => await GetAsync($"/v2/{Repository}/manifests/v1", Accept),
                "blob" => await GetAsync($"/v2/{Repository}/blobs/{layerDigest}", null),
                "token" => await TokenAsync(),
                _ => await PushAsync(),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (stop.IsCancellationRequested && e is TaskCanceledException)
            {
                return;
            }

            error = $"{kind}: no answer: {e.Message}";
        }

        samples.Add(clock.Elapsed, kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);
    }
}

async Task<string?> GetAsync(string path, string? accept)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Volatile.Read(ref bearer));
    if (accept is not null)
    {
        request.Headers.Accept.ParseAdd(accept);
    }

    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    await response.Content.CopyToAsync(Stream.Null);
    return response.IsSuccessStatusCode ? null : $"GET {path}: {(int)response.StatusCode}";
}

async Task<string?> TokenAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Get, tokenPath);
    request.Headers.Authorization = basic;
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? null : $"token: {(int)response.StatusCode} {body}";
}

async Task<string?> PushAsync()
{
    using var response = await PushBlobAsync(Volatile.Read(ref bearer), RandomNumberGenerator.GetBytes(4096));
    return response.IsSuccessStatusCode ? null : $"push: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
}

await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(w => Task.Run(() => WorkAsync(w))));
await stop.CancelAsync();
await renew;
await sampler;

Console.Write(samples.Report(rss, options));
return samples.Errors == 0 && Samples.RssSpreadAfterWarmupMib(rss) <= 64 ? 0 : 1;

static long ReadRssKib(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
    catch (IOException)
    {
        return 0;
    }
}

internal sealed record Options(string BaseUrl, int Pid, TimeSpan Duration, int Connections, string JwtFile, string Service)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        string Need(string key) => map.TryGetValue(key, out var value) ? value : throw new ArgumentException($"--{key} is required");
        return new Options(
            Need("base"),
            int.Parse(Need("pid"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(map.GetValueOrDefault("duration", "600"), CultureInfo.InvariantCulture)),
            int.Parse(map.GetValueOrDefault("connections", "64"), CultureInfo.InvariantCulture),
            Need("jwt-file"),
            Need("service"));
    }
}

/// <summary>Latencies per minute and kind, and the errors, under one lock (a few thousand adds a second).</summary>
internal sealed class Samples(int minutes)
{
    private static readonly string[] Kinds = ["manifest", "blob", "token", "push"];
    private readonly List<double>[] all = [.. Enumerable.Range(0, minutes + 1).Select(_ => new List<double>())];
    private readonly Dictionary<(int Minute, string Kind), List<double>> byKind = [];
    private readonly List<string> firstErrors = [];
    private readonly Lock gate = new();

    public int Errors { get; private set; }

    public void Add(TimeSpan at, string kind, double milliseconds, string? error)
    {
        var minute = Math.Min((int)at.TotalMinutes, all.Length - 1);
        lock (gate)
        {
            all[minute].Add(milliseconds);
            if (!byKind.TryGetValue((minute, kind), out var list))
            {
                byKind[(minute, kind)] = list = [];
            }

            list.Add(milliseconds);
            if (error is not null)
            {
                Errors++;
                if (firstErrors.Count < 10)
                {
                    firstErrors.Add($"{at.TotalSeconds:F1}s {error}");
                }
            }
        }
    }

    public static double RssSpreadAfterWarmupMib(List<(double Seconds, long Kib)> rss)
    {
        var after = rss.Where(s => s.Seconds >= 60).Select(s => s.Kib).ToList();
        return after.Count == 0 ? 0 : (after.Max() - after.Min()) / 1024.0;
    }

    public string Report(List<(double Seconds, long Kib)> rss, Options options)
    {
        var text = new StringBuilder();
        var total = all.Sum(l => l.Count);
        var spread = RssSpreadAfterWarmupMib(rss);
        var middle = rss.MinBy(s => Math.Abs(s.Seconds - (options.Duration.TotalSeconds / 2)));
        text.AppendLine(CultureInfo.InvariantCulture, $"- requests: {total} ({total / options.Duration.TotalSeconds:F0}/s), errors: {Errors} (target 0: {(Errors == 0 ? "met" : "not met")})");
        text.AppendLine(CultureInfo.InvariantCulture, $"- server RSS: start {rss[0].Kib / 1024} MiB, middle ({middle.Seconds:F0} s) {middle.Kib / 1024} MiB, end {rss[^1].Kib / 1024} MiB, peak {rss.Max(s => s.Kib) / 1024} MiB; spread after the first minute {spread:F0} MiB (target ≤ 64: {(spread <= 64 ? "met" : "not met")})");
        foreach (var error in firstErrors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- error: {error}");
        }

        text.AppendLine();
        text.AppendLine("| minute | requests | p99 all (ms) | p99 manifest | p99 blob | p99 token | p99 push |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        for (var minute = 0; minute < all.Length; minute++)
        {
            if (all[minute].Count == 0)
            {
                continue;
            }

            var cells = Kinds.Select(k => byKind.TryGetValue((minute, k), out var l) ? P99(l).ToString("F1", CultureInfo.InvariantCulture) : "-");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {minute + 1} | {all[minute].Count} | {P99(all[minute]):F1} | {string.Join(" | ", cells)} |");
        }

        return text.ToString();
    }

    private static double P99(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
    }
}
