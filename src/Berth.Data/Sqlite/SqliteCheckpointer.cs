using Microsoft.Data.Sqlite;

namespace Berth.Data.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file once a second on a thread of its own, so the
/// requests that write never do it themselves.
/// </summary>
/// <remarks>
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages, and a checkpoint
/// fsyncs the database file. That commit runs on a thread-pool thread serving a request (an audit row,
/// a blob link), and under disk writeback one fsync took over half a second (strace, bench/RESULTS.md):
/// on two cores, two such threads stalled manifest GETs that touch no write path at all. Here the
/// checkpoint is a <c>PASSIVE</c> one (it never waits for readers or the writer) on a dedicated thread,
/// and only after something was written. The write connections keep an automatic checkpoint at a much
/// larger size (<see cref="SqliteDataSource"/>), so the WAL stays bounded if this thread falls behind.
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long disposal waits for a checkpoint in progress before it leaves the thread behind.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _thread;
    private int _written;

    public SqliteCheckpointer(string connectionString)
    {
        _connectionString = connectionString;
        _thread = new Thread(Run) { IsBackground = true, Name = "berth-sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Called for every write connection: the next tick has something to copy.</summary>
    public void MarkWritten() => Volatile.Write(ref _written, 1);

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join(StopTimeout);
    }

    private void Run()
    {
        // Its own connection, outside the pool, opened once: the pool's connections serve requests.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        while (!_stopping.Wait(Interval))
        {
            if (Interlocked.Exchange(ref _written, 0) == 0)
            {
                continue;
            }

            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    connection.Open();
                }

                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // A busy or failed checkpoint loses nothing: the frames stay in the WAL, the next tick
                // tries again, and the writers' own automatic checkpoint bounds the WAL meanwhile.
                Volatile.Write(ref _written, 1);
            }
        }
    }
}
