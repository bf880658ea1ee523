using Berth.Hosting;

namespace Berth.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_AnySize_GivesA64KiBBlockSoTheSocketReceivesUpTo64KiBAtATime()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();

        using var block = pool.Rent(2048);

        Assert.Equal(64 * 1024, pool.MaxBufferSize);
        Assert.Equal(64 * 1024, block.Memory.Length);
    }

    [Fact]
    public void Rent_AfterAReturn_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        var array = first.Memory;
        first.Dispose();

        using var second = pool.Rent();

        Assert.True(second.Memory.Span.Overlaps(array.Span));
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(64 * 1024 + 1));
    }

    [Fact]
    public void Memory_AfterDispose_Throws()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();
        var block = pool.Rent();
        block.Dispose();

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
    }
}
