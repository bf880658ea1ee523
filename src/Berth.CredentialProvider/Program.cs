using Berth.CredentialProvider;

using var stdin = Console.OpenStandardInput();
using var stdout = Console.OpenStandardOutput();
return PluginApp.Run(
    args,
    Environment.GetEnvironmentVariable(PluginOptions.CacheKeyTypeVariable),
    stdin,
    stdout,
    Console.Error,
    DateTimeOffset.UtcNow);
