using Berth.CredentialProvider.Images;

namespace Berth.CredentialProvider.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("registry.example.com/team/app", "registry.example.com")]
    [InlineData("registry.example.com/team/app:1.2.3", "registry.example.com")]
    [InlineData("registry.example.com:5000/team/app:1.2.3", "registry.example.com:5000")]
    [InlineData("registry.example.com:5000/team/app", "registry.example.com:5000")]
    [InlineData("registry.example.com/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry.example.com")]
    [InlineData("registry.example.com:443/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry.example.com:443")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("localhost:5000/app:latest", "localhost:5000")]
    [InlineData("127.0.0.1:5000/a/b/c", "127.0.0.1:5000")]
    [InlineData("[::1]:5000/app", "[::1]:5000")]
    [InlineData("Registry/app", "Registry")]
    [InlineData("berth/app", "docker.io")]
    [InlineData("nginx", "docker.io")]
    [InlineData("nginx:1.27", "docker.io")]
    [InlineData("docker.io/library/nginx", "docker.io")]
    public void TryGetRegistry_ValidImage_ReturnsHostAndPort(string image, string expected)
    {
        Assert.True(ImageReference.TryGetRegistry(image, out var registry, out var error), error);
        Assert.Equal(expected, registry);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://registry.example.com/app")]
    [InlineData("registry.example.com/app name")]
    [InlineData("registry.example.com:notaport/app")]
    [InlineData("registry.example.com:99999/app")]
    [InlineData("registry.example.com:/app")]
    [InlineData(".example.com/app")]
    [InlineData("reg_istry.example.com/app")]
    [InlineData("registry.example.com/")]
    [InlineData("/app")]
    [InlineData("@sha256:abc")]
    public void TryGetRegistry_InvalidImage_ReturnsFalseWithMessage(string image)
    {
        Assert.False(ImageReference.TryGetRegistry(image, out _, out var error));
        Assert.Contains("image", error, StringComparison.Ordinal);
    }
}
