namespace Berth.CredentialProvider.Tests.Published;

/// <summary>Publishes (or finds) the AOT binary once for the test class.</summary>
public sealed class PublishedPluginFixture
{
    public string BinaryPath { get; } = CredentialProviderBinary.GetPath();
}
