using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.S3.Tests;

/// <summary>Presigned blob URLs are reused for a tenth of their lifetime, never past it.</summary>
public sealed class PresignedUrlsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero));
    private readonly List<(string Key, DateTimeOffset Expires)> signed = [];
    private readonly PresignedUrls urls;

    public PresignedUrlsTests()
    {
        urls = new PresignedUrls(time, (key, expires) =>
        {
            signed.Add((key, expires));
            return Task.FromResult(new Uri($"http://127.0.0.1/{key}?expires={expires.ToUnixTimeSeconds()}"));
        });
    }

    [Fact]
    public async Task GetAsync_AgainWithinATenthOfTheLifetime_ReusesTheUrlItSigned()
    {
        var first = await urls.GetAsync("blobs/a", Lifetime);
        time.Advance(Lifetime / 10);

        var second = await urls.GetAsync("blobs/a", Lifetime);

        Assert.Equal(first, second);
        Assert.Equal([("blobs/a", time.GetUtcNow() - Lifetime / 10 + Lifetime)], signed);
    }

    [Fact]
    public async Task GetAsync_LaterThanATenthOfTheLifetime_SignsAnewALifetimeFromNow()
    {
        var first = await urls.GetAsync("blobs/a", Lifetime);
        time.Advance(Lifetime / 10 + TimeSpan.FromSeconds(1));

        var second = await urls.GetAsync("blobs/a", Lifetime);

        Assert.NotEqual(first, second);
        Assert.Equal(time.GetUtcNow() + Lifetime, signed[^1].Expires);
        Assert.Equal(2, signed.Count);
    }

    [Fact]
    public async Task GetAsync_AnotherBlobOrAnotherLifetime_SignsItsOwnUrl()
    {
        var a = await urls.GetAsync("blobs/a", Lifetime);

        var b = await urls.GetAsync("blobs/b", Lifetime);
        var shorter = await urls.GetAsync("blobs/a", TimeSpan.FromMinutes(1));

        Assert.NotEqual(a, b);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(1), signed[^1].Expires);
        Assert.Equal(3, signed.Count);
        Assert.NotEqual(a, shorter);
    }
}
