namespace Berth.Auth.Admin;

/// <summary>
/// Bounds how many administrator password checks (PBKDF2, 210,000 iterations: tens of milliseconds of CPU
/// each) run at once, so a flood of guesses queues here instead of taking every core from pulls and token
/// exchanges. Half the cores, at least one: the rest stay free for registry traffic.
/// </summary>
internal sealed class PasswordCheckGate(int capacity)
{
    /// <summary>How long a check waits for its turn before the caller is told to come back.</summary>
    public static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim slots = new(capacity, capacity);

    public PasswordCheckGate()
        : this(Math.Max(1, Environment.ProcessorCount / 2))
    {
    }

    public int Capacity { get; } = capacity;

    /// <returns>The check's result, or <c>default</c> with <c>Ran = false</c> when no slot was free in time.</returns>
    public async Task<(bool Ran, T Result)> RunAsync<T>(Func<Task<T>> check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        // Real time on purpose: it paces a queue, it decides nothing a test drives.
        if (!await slots.WaitAsync(QueueTimeout, cancellationToken))
        {
            return (false, default!);
        }

        try
        {
            // Off the request's thread: PBKDF2 is synchronous CPU work.
            return (true, await Task.Run(check, cancellationToken));
        }
        finally
        {
            slots.Release();
        }
    }
}
