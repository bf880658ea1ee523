using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Http;

/// <summary>
/// One line per request once it is answered (category <c>Berth.Requests</c>; a JSON object with each field
/// under <c>State</c> when <c>server.logFormat</c> is <c>json</c>): method, route template, status, response
/// bytes, duration, client address (after trusted proxies), who acted and the trace id. Never the query
/// string or a header, so never a token.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "Berth.Requests";

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        // A duration, not a time of day: the monotonic clock, never the injected one (tests freeze that).
        var started = Stopwatch.GetTimestamp();
        var traceId = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var body = new CountingResponseBody(original);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            context.Features.Set(original);
            // An exception before the response started becomes the server's 500.
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var address = context.Connection.RemoteIpAddress;
            Answered(
                logger,
                context.Request.Method,
                RequestRoute.Of(context),
                status,
                body.Bytes,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
                (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address)?.ToString() ?? "-",
                RequestActor.Of(context) ?? "-",
                traceId,
                context.Request.Path.Value ?? "/");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Route} {Status} {Bytes} bytes {DurationMs} ms client {ClientIp} actor {Actor} trace {TraceId} path {Path}")]
    private static partial void Answered(ILogger logger, string method, string route, int status, long bytes, double durationMs, string clientIp, string actor, string traceId, string path);
}
