using Berth.Auth.Admin;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Auth.Tests.Admin;

/// <summary>The throttle's keys and bound, and the cap on concurrent password checks, without HTTP.</summary>
public sealed class AdminLoginThrottleUnitTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void RetryAfter_AdminGuessedFromManyAddresses_IsThrottledByUsername()
    {
        var throttle = new AdminLoginThrottle(time);
        for (var i = 0; i < AdminLoginThrottle.FreeFailures + 1; i++)
        {
            throttle.Failed($"10.0.0.{i}", "admin");
        }

        Assert.Equal(AdminLoginThrottle.FirstDelay, throttle.RetryAfter("10.0.1.1", "admin"));
        Assert.Null(throttle.RetryAfter("10.0.1.1", "someone-else"));
    }

    [Fact]
    public void Failed_MoreAddressesThanTheTableHolds_ForgetsTheQuietestBlockedOne()
    {
        var throttle = new AdminLoginThrottle(time);
        for (var i = 0; i < 100; i++)
        {
            throttle.Failed("192.0.2.1", null);
        }

        // Each new address is a little younger, so 192.0.2.1 (blocked for 15 minutes) is the quietest key.
        for (var i = 0; i < AdminLoginThrottle.MaxTracked - 1; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            throttle.Failed(Address(i), null);
        }

        Assert.NotNull(throttle.RetryAfter("192.0.2.1", null));

        time.Advance(TimeSpan.FromMilliseconds(1));
        throttle.Failed(Address(AdminLoginThrottle.MaxTracked), null);

        Assert.Null(throttle.RetryAfter("192.0.2.1", null));
    }

    [Fact]
    public void Failed_FloodOfAddresses_KeepsTheUsernameThrottled()
    {
        var throttle = new AdminLoginThrottle(time);
        for (var i = 0; i < AdminLoginThrottle.FreeFailures + 1; i++)
        {
            throttle.Failed("192.0.2.1", "admin");
        }

        for (var i = 0; i < AdminLoginThrottle.MaxTracked * 2; i++)
        {
            throttle.Failed(Address(i), "not-a-user");
        }

        Assert.NotNull(throttle.RetryAfter("203.0.113.9", "admin"));
    }

    [Fact]
    public void RetryAfter_NeverMoreThanTheLongestDelay()
    {
        var throttle = new AdminLoginThrottle(time);
        for (var i = 0; i < 100; i++)
        {
            throttle.Failed("192.0.2.1", "admin");
        }

        Assert.Equal(AdminLoginThrottle.LongestDelay, throttle.RetryAfter("192.0.2.1", null));
    }

    [Fact]
    public void Failed_QuietForAnHour_IsForgotten()
    {
        var throttle = new AdminLoginThrottle(time);
        for (var i = 0; i < AdminLoginThrottle.FreeFailures; i++)
        {
            throttle.Failed("192.0.2.1", "admin");
        }

        time.Advance(AdminLoginThrottle.Memory);
        throttle.Failed("192.0.2.1", "admin");

        Assert.Null(throttle.RetryAfter("192.0.2.1", "admin"));
    }

    [Fact]
    public async Task RunAsync_ManyChecksAtOnce_RunsAtMostCapacityTogether()
    {
        var gate = new PasswordCheckGate(2);
        var running = 0;
        var most = 0;
        async Task<bool> CheckAsync()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return true;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => gate.RunAsync(CheckAsync, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Ran && r.Result));
        Assert.Equal(2, most);
    }

    private static string Address(int i) => $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
