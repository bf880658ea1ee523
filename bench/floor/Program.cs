// Minimal Kestrel app: GET / answers a fixed 1 KiB body. bench/run.sh measures it with the
// same wrk settings as a manifest GET, so Berth's number reads against what HTTP costs here.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var body = new byte[1024];
Array.Fill(body, (byte)'x');
app.MapGet("/", () => Results.Bytes(body, "application/octet-stream"));
app.Run();
