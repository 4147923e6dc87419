using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// Hears the commits of every instance that shares the schema: one connection that <c>LISTEN</c>s on the
/// schema's channel (each commit notifies it with the new head) and, between notifications, asks for the head
/// every poll interval. A notification is a wake-up, not the data: feeds read the log from the database, so a
/// notification lost with a dropped connection only delays them until the next poll.
/// </summary>
internal sealed partial class PostgresChangeListener : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSql _sql;
    private readonly TimeSpan _pollInterval;
    private readonly Action<long> _heard;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public PostgresChangeListener(NpgsqlDataSource dataSource, PostgresSql sql, TimeSpan pollInterval, Action<long> heard, ILogger logger)
    {
        _dataSource = dataSource;
        _sql = sql;
        _pollInterval = pollInterval;
        _heard = heard;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(() => ListenAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Asks the loop to end; it ends on its own once its wait is cancelled.</summary>
    public void Stop() => _stopping.Cancel();

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out long head))
                    {
                        _heard(head);
                    }
                };
                // Named, so an operator (and a test) can tell the listening connection in pg_stat_activity.
                await using (var listen = new NpgsqlCommand($"SET application_name = '{_sql.Channel} listener'; LISTEN {_sql.Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Listening from here on; what committed before (or while disconnected) is found by reading the head.
                await PollAsync(connection, cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    if (!await connection.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await PollAsync(connection, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                Log.ListenFailed(_logger, e);
                try
                {
                    await Task.Delay(ReconnectDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task PollAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_sql.Head, connection);
        _heard((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Listening for the change log's commits failed; reconnecting (feeds keep following, a little later)")]
        public static partial void ListenFailed(ILogger logger, Exception exception);
    }
}
