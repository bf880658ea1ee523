using System.CommandLine;
using Berth.Configuration;
using Berth.Data;
using Berth.Hosting;
using Microsoft.AspNetCore.Connections;

namespace Berth.Cli;

/// <summary><c>berth serve</c>: runs the registry until SIGINT/SIGTERM, then drains requests in flight.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string?>("--listen") { Description = "ADDRESS:PORT to listen on (default 127.0.0.1:5000)" };
        var data = new Option<string?>("--data") { Description = "data folder for the SQLite database and blobs (default ./data)" };
        var config = new Option<string?>("--config") { Description = "YAML configuration file; keys may also be set as BERTH_SECTION__KEY" };
        var checkConfig = new Option<bool>("--check-config") { Description = "load and validate the configuration, report pending schema migrations, print the result and exit" };
        var insecureOpen = new Option<bool>("--insecure-open") { Description = "allow open mode (no authentication) on a non-loopback address" };
        var command = new Command("serve", "Run the registry") { listen, data, config, checkConfig, insecureOpen };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(listen) is { } address)
            {
                overrides["server:listen"] = address;
            }

            if (parse.GetValue(data) is { } folder)
            {
                overrides["storage:dataDir"] = folder;
            }

            if (parse.GetValue(insecureOpen))
            {
                overrides["server:insecureOpen"] = "true";
            }

            WebApplication app;
            BerthSettings settings;
            try
            {
                settings = ConfigurationLoader.Load(parse.GetValue(config), overrides);
                app = BerthApp.Build(settings);
                if (parse.GetValue(checkConfig))
                {
                    OpenModeStartCheck.CheckBeforeFirstStart(settings);
                }
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"berth: {e.Message}");
                return ExitCodes.Error;
            }

            await using (app)
            {
                if (parse.GetValue(checkConfig))
                {
                    Console.WriteLine("configuration ok");
                    var startable = await SchemaCheck.ReportAsync(
                        app.Services.GetRequiredService<MetadataStores>(), settings.Storage, Console.Out, Console.Error, cancellationToken);
                    return startable ? ExitCodes.Ok : ExitCodes.Error;
                }

                try
                {
                    await app.RunAsync(cancellationToken);
                }
                catch (ConfigurationException e)
                {
                    // Start-up checks that need the metadata store (e.g. the open-mode guard) fail here.
                    await Console.Error.WriteLineAsync($"berth: {e.Message}");
                    return ExitCodes.Error;
                }
                catch (IOException e) when (e.InnerException is AddressInUseException)
                {
                    await Console.Error.WriteLineAsync($"berth: cannot listen on {settings.Server.Listen}: another process uses that port; stop it or choose another address with --listen (server.listen)");
                    return ExitCodes.Error;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The data folder or a key file cannot be written or read: the message names the path.
                    await Console.Error.WriteLineAsync($"berth: cannot start: {e.Message}");
                    return ExitCodes.Error;
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
