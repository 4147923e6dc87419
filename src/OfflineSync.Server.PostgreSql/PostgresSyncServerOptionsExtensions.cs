using Npgsql;
using OfflineSync.Server;
using OfflineSync.Server.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the PostgreSQL store for the reference server.</summary>
public static class PostgresSyncServerOptionsExtensions
{
    /// <summary>
    /// Keeps the server's data in PostgreSQL, so that several server instances behind a load balancer serve
    /// the same rows and the same change feed: each instance's feeds see every instance's writes, in order.
    /// The store's tables are created (or brought to this version's layout) when the server starts.
    /// </summary>
    /// <param name="options">The server options.</param>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=app;Username=sync;Password=…</c>; the user needs to create tables in the store's schema on first start.</param>
    /// <param name="configure">Adjusts the store: schema, poll interval.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddOfflineSyncServer(o =&gt; o.UsePostgres(builder.Configuration.GetConnectionString("sync")!));
    /// </code>
    /// </example>
    public static SyncServerOptions UsePostgres(this SyncServerOptions options, string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString); // a malformed string fails here, where it was written
        var store = new PostgresStoreOptions();
        configure?.Invoke(store);
        store.Validate();
        options.StoreFactory = (server, loggerFactory) => PostgresSyncStore.Open(connectionString, store, server, loggerFactory);
        return options;
    }
}
