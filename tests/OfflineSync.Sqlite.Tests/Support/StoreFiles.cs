using Microsoft.Data.Sqlite;

namespace OfflineSync.Sqlite.Tests;

/// <summary>Reads and writes store files behind the store's back, through connections of their own.</summary>
internal static class StoreFiles
{
    /// <summary>Opens a plain connection (no pooling, so disposing it really closes the file).</summary>
    public static SqliteConnection Connect(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection and returns the first column of the first row.</summary>
    public static object? Scalar(string path, string sql)
    {
        using SqliteConnection connection = Connect(path);
        return Scalar(connection, sql);
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs statements on their own connection.</summary>
    public static void Execute(string path, string sql)
    {
        using SqliteConnection connection = Connect(path, SqliteOpenMode.ReadWriteCreate);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Creates a store holding <paramref name="mutations"/> queued mutations and closes it.</summary>
    public static void CreateStore(string path, int mutations)
    {
        using SqliteMutationStore store = SqliteMutationStore.Open(path);
        for (long i = 1; i <= mutations; i++)
        {
            store.Append(Mutations.Create(i));
        }
    }
}
