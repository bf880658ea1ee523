namespace Berth.Console.Tests;

/// <summary>Every console test shares one Chromium and runs one at a time: the machine's cores are shared.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "console";
}
