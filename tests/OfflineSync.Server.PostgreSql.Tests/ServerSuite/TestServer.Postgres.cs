using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineSync.Server.PostgreSql.Tests.Support;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// The server suite's store on PostgreSQL: a schema of its own per test server, in one database for the whole
/// test run (created on first use, dropped when the test process exits). Replaces TestServer.Sqlite.cs of
/// OfflineSync.Server.Tests, whose other files this project compiles again.
/// </summary>
public sealed partial class TestServer
{
    private sealed class Store
    {
        private static readonly Lazy<string> Database = new(CreateDatabase);
        private readonly string _schema = TestDatabase.NewSchema();

        // Named after its schema, so what it holds is told apart from the other tests' servers in pg_stat_activity.
        public void Configure(SyncServerOptions options) =>
            options.UsePostgres(new NpgsqlConnectionStringBuilder(Database.Value) { ApplicationName = _schema }.ConnectionString, store => store.Schema = _schema);

        public long HeldByReaders()
        {
            using NpgsqlConnection connection = Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @value AND state <> 'idle';", connection);
            command.Parameters.AddWithValue("value", _schema);
            return (long)command.ExecuteScalar()!;
        }

        public long Count(string tableAndCondition)
        {
            using NpgsqlConnection connection = Open();
            using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {tableAndCondition};", connection);
            return (long)command.ExecuteScalar()!;
        }

        public int Execute(string sql, string value)
        {
            using NpgsqlConnection connection = Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("value", value);
            return command.ExecuteNonQuery();
        }

        public void Delete()
        {
            // The schema goes with the database at the end of the run.
        }

        private NpgsqlConnection Open()
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.Value) { SearchPath = _schema, Pooling = false }.ConnectionString);
            connection.Open();
            return connection;
        }

        private static string CreateDatabase()
        {
            string admin = TestPostgres.RequireAdminConnectionString();
            string name = "offlinesync_suite_" + Guid.NewGuid().ToString("N");
            using (var connection = new NpgsqlConnection(admin))
            {
                connection.Open();
                using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
                create.ExecuteNonQuery();
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                NpgsqlConnection.ClearAllPools();
                using var connection = new NpgsqlConnection(admin);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
                drop.ExecuteNonQuery();
            };
            return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        }
    }
}
