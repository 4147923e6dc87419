using Microsoft.Extensions.Logging;
using OfflineSync.Http;
using OfflineSync.TestModel;

namespace OfflineSync.Chaos;

/// <summary>Opens the client the way an app would, tuned for a test that lasts seconds, not days.</summary>
internal static class ClientFactory
{
    public static WorkspaceSync Open(ClientArguments arguments, bool online)
    {
        // Short timeouts: a stalled (half-open) connection is given up after seconds; the server sends
        // feed heartbeats every 500 ms, so a silent feed is dead after 5 s.
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        var http = new HttpClient(handler) { BaseAddress = arguments.Server, Timeout = TimeSpan.FromSeconds(5) };
        var options = new SyncOptions
        {
            Transport = new HttpSyncTransport(http, new HttpSyncTransportOptions { FeedIdleTimeout = TimeSpan.FromSeconds(5) }),
            Store = SqliteMutationStore.Open(arguments.Store),
            ClientId = arguments.ClientId,
            ConflictStrategy = arguments.Strategy,

            // Transient faults must never exhaust a mutation during a run: every failure the checks see is a defect.
            MaxAttempts = 10_000,

            // The engine's own account of every mutation, to stderr, which the test keeps in the client's log.
            LoggerFactory = LoggerFactory.Create(static logging => logging
                .SetMinimumLevel(LogLevel.Debug)
                .AddConsole(static console => console.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(static console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                })),
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        var client = new WorkspaceSync(options);
        client.SetOnline(online);
        return client;
    }

    /// <summary>Journals the events the checks use (mappings and permanent failures) and conflicts, which explain dropped writes.</summary>
    public static void JournalEvents(WorkspaceSync client, Journal journal)
    {
        client.IdRemapped += (_, e) => journal.Write(new JournalEntry { Op = "remapped", Resource = e.Resource, Key = e.OptimisticKey, ServerKey = e.ServerKey });
        client.MutationFailed += (_, e) => journal.Write(new JournalEntry
        {
            Op = "failed",
            Resource = e.Mutation.Resource,
            Key = e.Mutation.Key,
            Kind = $"{e.Mutation.Kind} {e.Reason}",
            Error = e.Error,
        });
        client.ConflictDetected += (_, e) => journal.Write(new JournalEntry { Op = "conflict", Resource = e.Conflict.Resource, Key = e.Conflict.Key, Kind = e.Conflict.Kind.ToString(), Error = e.Conflict.Error });
    }
}
