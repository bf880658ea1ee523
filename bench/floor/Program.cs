// Minimal Kestrel app, the HTTP floor of the benches.
// GET / answers a fixed 1 KiB body: bench/run.sh measures it with the same wrk settings as a manifest GET.
// With --files DIR, GET /sendfile/NAME serves DIR/NAME through the framework's SendFileAsync and
// GET /pipe/NAME reads it in 1 MiB reads straight into the response pipe (Berth's way for whole blobs):
// bench/datapath.sh measures a blob pull against both.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var body = new byte[1024];
Array.Fill(body, (byte)'x');
app.MapGet("/", () => Results.Bytes(body, "application/octet-stream"));
if (app.Configuration["files"] is { } files)
{
    app.MapGet("/sendfile/{name}", (HttpContext context, string name) =>
    {
        var path = Path.Combine(files, Path.GetFileName(name));
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = new FileInfo(path).Length;
        return context.Response.SendFileAsync(path, context.RequestAborted);
    });
    app.MapGet("/pipe/{name}", async (HttpContext context, string name) =>
    {
        var path = Path.Combine(files, Path.GetFileName(name));
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = length;
        var writer = context.Response.BodyWriter;
        for (long offset = 0; offset < length;)
        {
            var read = await RandomAccess.ReadAsync(file, writer.GetMemory(1024 * 1024), offset, context.RequestAborted);
            writer.Advance(read);
            offset += read;
            await writer.FlushAsync(context.RequestAborted);
        }
    });
}

app.Run();
