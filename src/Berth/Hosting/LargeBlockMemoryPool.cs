using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Berth.Hosting;

/// <summary>
/// Kestrel's connection buffers in 64 KiB blocks instead of its default 4 KiB ones. The socket transport
/// receives into one block at a time, so with 4 KiB blocks a blob upload took a recv(2) per 2–4 KiB
/// (130,000 calls and a thread-pool wake-up each for 256 MiB, bench/RESULTS.md, issue 15); with 64 KiB
/// blocks it takes a sixteenth of that. Idle connections hold no block (Kestrel waits for data before it
/// rents one), and at most <see cref="MaxPooled"/> free blocks (4 MiB) are kept.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();

    internal const int MaxPooled = 64;

    private sealed class LargeBlockMemoryPool : MemoryPool<byte>
    {
        private const int BlockSize = 64 * 1024;
        private readonly ConcurrentQueue<byte[]> _free = new();
        private int _freeCount;

        public override int MaxBufferSize => BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
            if (_free.TryDequeue(out var array))
            {
                Interlocked.Decrement(ref _freeCount);
            }
            else
            {
                // Pinned: the socket transport pins every buffer it receives into or sends from.
                array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
            }

            return new Block(this, array);
        }

        protected override void Dispose(bool disposing) => _free.Clear();

        private void Return(byte[] array)
        {
            if (Interlocked.Increment(ref _freeCount) <= MaxPooled)
            {
                _free.Enqueue(array);
            }
            else
            {
                Interlocked.Decrement(ref _freeCount);
            }
        }

        private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
        {
            private byte[]? _array = array;

            public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _array, null) is { } returned)
                {
                    pool.Return(returned);
                }
            }
        }
    }
}
