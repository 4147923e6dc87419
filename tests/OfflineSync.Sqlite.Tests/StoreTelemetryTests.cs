using Microsoft.Extensions.Logging;

namespace OfflineSync.Sqlite.Tests;

/// <summary>The store's logs (category <c>OfflineSync.Sqlite</c>): open, schema migration, a refused file.</summary>
public sealed class StoreTelemetryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_LogsTheMigrationAndTheOpen_ARefusedFileAsAnError()
    {
        var logs = new Logs();
        var options = new SqliteMutationStoreOptions { LoggerFactory = logs };
        string path = _folder.File();
        int latest = SchemaMigrations.All[^1].Version;
        using (SqliteMutationStore.Open(path, options, [SchemaMigrations.All[0]]))
        {
        }

        using (SqliteMutationStore.Open(path, options))
        {
        }

        using (SqliteMutationStore.Open(path, options))
        {
        }

        string foreign = _folder.File("photo.jpg");
        File.WriteAllBytes(foreign, new byte[4096]);
        Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(foreign, options));

        Assert.Equal(
            [
                (LogLevel.Information, 2, $"Migrated the mutation store {path} from schema 0 to 1"),
                (LogLevel.Information, 1, $"Opened the mutation store {path} (schema 1, durability Full)"),
                (LogLevel.Information, 2, $"Migrated the mutation store {path} from schema 1 to {latest}"),
                (LogLevel.Information, 1, $"Opened the mutation store {path} (schema {latest}, durability Full)"),
                (LogLevel.Information, 1, $"Opened the mutation store {path} (schema {latest}, durability Full)"),
                (LogLevel.Error, 3, $"The mutation store {foreign} could not be opened"),
            ],
            logs.Entries);
    }

    private sealed class Logs : ILoggerFactory, ILogger
    {
        public List<(LogLevel, int, string)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName)
        {
            Assert.Equal("OfflineSync.Sqlite", categoryName);
            return this;
        }

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }
}
