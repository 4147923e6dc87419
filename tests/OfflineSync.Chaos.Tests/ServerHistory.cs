using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.Chaos.Tests;

/// <summary>
/// Every state every row of the server passed through during the run. The server's change log keeps one entry per
/// row (its last change), so its feed cannot tell what a row held before; triggers on the server database's
/// <c>rows</c> table copy each state into a table of the test's own, in the transaction that writes it, so a state is
/// recorded exactly when it is committed, whenever the server is killed.
/// </summary>
internal static class ServerHistory
{
    private const string Install = """
        CREATE TABLE IF NOT EXISTS chaos_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            seq INTEGER NOT NULL,
            resource TEXT NOT NULL,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            json BLOB,
            version INTEGER NOT NULL);
        CREATE TRIGGER IF NOT EXISTS chaos_history_insert AFTER INSERT ON rows BEGIN
            INSERT INTO chaos_history (seq, resource, key, kind, json, version)
            VALUES (NEW.seq, NEW.resource, NEW.key, CASE WHEN NEW.deleted THEN 'removed' ELSE 'added' END, NEW.json, NEW.version);
        END;
        CREATE TRIGGER IF NOT EXISTS chaos_history_update AFTER UPDATE ON rows BEGIN
            INSERT INTO chaos_history (seq, resource, key, kind, json, version)
            VALUES (NEW.seq, NEW.resource, NEW.key, CASE WHEN NEW.deleted THEN 'removed' ELSE 'changed' END, NEW.json, NEW.version);
        END;
        """;

    /// <summary>Starts recording; the server has created its schema (it is listening).</summary>
    public static void Record(string database)
    {
        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Install;
        command.ExecuteNonQuery();
    }

    /// <summary>The states recorded after <paramref name="afterSequence"/>, in order, as a feed would show them to a client that created none of them.</summary>
    public static List<ObservedEvent> Read(string database, long afterSequence)
    {
        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, resource, key, kind, json, version FROM chaos_history WHERE seq > $after ORDER BY id";
        command.Parameters.AddWithValue("$after", afterSequence);
        var events = new List<ObservedEvent>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            string resource = reader.GetString(1);
            string kind = reader.GetString(3);
            ItemDescription? item = kind == "removed" || reader.IsDBNull(4) ? null : ItemDescription.Of(resource, (byte[])reader.GetValue(4));
            string version = reader.GetInt64(5).ToString(CultureInfo.InvariantCulture);
            events.Add(new ObservedEvent(reader.GetInt64(0), kind, new ObservedRow(resource, reader.GetString(2), null, null, version, item)));
        }

        return events;
    }

    private static SqliteConnection Open(string database)
    {
        // The server process may be writing: wait for its transactions rather than fail.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        using SqliteCommand wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 30000";
        wait.ExecuteNonQuery();
        return connection;
    }
}
