using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Registry.Content;
using Berth.Tests.Http.Registry;

namespace Berth.Tests.Faults;

/// <summary>
/// A bounded push-and-pull loop against one registry, as a CI fleet would run it: each worker pushes two
/// blobs (one in a single request, one through an upload session with a chunk), a manifest under a fresh
/// tag, then pulls the manifest by tag and a blob. Every answer is recorded; nothing is asserted here.
/// Pushes whose manifest PUT answered 201 are kept, so the caller can check the stored state afterwards.
/// </summary>
internal sealed class RegistryLoad(HttpClient client, string repositoryPrefix)
{
    private readonly ConcurrentQueue<Answer> answers = new();
    private readonly ConcurrentQueue<PushedImage> pushed = new();
    private int succeeded;
    private int unavailable;

    public IReadOnlyCollection<Answer> Answers => answers;

    public IReadOnlyCollection<PushedImage> Pushed => pushed;

    public int Succeeded => Volatile.Read(ref succeeded);

    public int Unavailable => Volatile.Read(ref unavailable);

    public string Repository(int worker) => $"{repositoryPrefix}/w{worker}";

    /// <summary>Runs <paramref name="workers"/> loops until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkAsync(worker, stop), CancellationToken.None)));

    /// <summary>Waits (polling, at most <paramref name="bound"/>) until <paramref name="condition"/> holds; false when it never did.</summary>
    public async Task<bool> WaitForAsync(Func<RegistryLoad, bool> condition, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (watch.Elapsed > bound)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        var repository = Repository(worker);
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"worker\":{worker},\"round\":{round}}}");
            var layer = Oci.RandomBytes(2048);
            var configDigest = Oci.DigestOf(config);
            var layerDigest = Oci.DigestOf(layer);
            if (await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={configDigest}", Oci.Octets(config)) is not { Status: HttpStatusCode.Created }
                || await PushThroughSessionAsync(repository, layer, layerDigest) is false)
            {
                continue;
            }

            var manifest = Encoding.UTF8.GetBytes(
                $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\"," +
                $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}}," +
                $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
            var body = new ByteArrayContent(manifest);
            body.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
            var tag = $"r{round}";
            var put = await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", body);
            if (put is not { Status: HttpStatusCode.Created })
            {
                continue;
            }

            pushed.Enqueue(new PushedImage(repository, tag, Oci.DigestOf(manifest), [configDigest, layerDigest]));
            await SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{tag}", accept: MediaTypes.OciManifest);
            await SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{layerDigest}");
        }
    }

    private async Task<bool> PushThroughSessionAsync(string repository, byte[] content, Digest digest)
    {
        var started = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        if (started is not { Status: HttpStatusCode.Accepted, Location: { } location })
        {
            return false;
        }

        var half = content.Length / 2;
        var patched = await SendAsync(HttpMethod.Patch, location, Oci.Octets(content[..half], $"0-{half - 1}"));
        return patched is { Status: HttpStatusCode.Accepted }
            && await SendAsync(HttpMethod.Put, Oci.WithQuery(location, $"digest={digest}"), Oci.Octets(content[half..], $"{half}-{content.Length - 1}")) is { Status: HttpStatusCode.Created };
    }

    /// <summary>Sends one request and records its answer; null when it threw (a timeout counts as a hang).</summary>
    private async Task<Answer?> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, Oci.Path(path)) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var watch = Stopwatch.StartNew();
        Answer answer;
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            answer = new Answer(method, path, (int)response.StatusCode, watch.Elapsed, body,
                response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.OriginalString);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            answer = new Answer(method, path, 0, watch.Elapsed, e.GetType().Name + ": " + e.Message, null, null, null);
        }

        answers.Enqueue(answer);
        if (answer.StatusCode is >= 200 and < 300)
        {
            Interlocked.Increment(ref succeeded);
        }
        else if (answer.StatusCode == 503)
        {
            Interlocked.Increment(ref unavailable);
        }

        return answer;
    }

    /// <summary>One recorded answer; <see cref="StatusCode"/> 0 means no answer (connection failure or timeout).</summary>
    internal sealed record Answer(HttpMethod Method, string Path, int StatusCode, TimeSpan Duration, string Body, TimeSpan? RetryAfter, string? ContentType, string? Location)
    {
        public HttpStatusCode? Status => StatusCode == 0 ? null : (HttpStatusCode)StatusCode;

        public override string ToString() => $"{Method} {Path} → {(StatusCode == 0 ? "no answer" : StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))} in {Duration.TotalMilliseconds:F0} ms: {Body}";
    }

    internal sealed record PushedImage(string Repository, string Tag, Digest Manifest, IReadOnlyList<Digest> Blobs);
}
