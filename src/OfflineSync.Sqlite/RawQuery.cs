using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Sqlite;

/// <summary>A query read row by row on the connection's native handle; the values of a row are valid until the next <see cref="Read"/>.</summary>
internal sealed class RawQuery : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawQuery(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Moves to the next row.</summary>
    /// <returns><see langword="false"/> after the last row.</returns>
    /// <exception cref="SqliteException">SQLite failed to read (a damaged file, an I/O error).</exception>
    public bool Read()
    {
        int rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The column as text, or <see langword="null"/> when it is NULL.</summary>
    public string? Text(int column)
    {
        if (IsNull(column))
        {
            return null;
        }

        ReadOnlySpan<byte> utf8 = raw.sqlite3_column_blob(_statement, column);
        return utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8);
    }

    /// <summary>The column's bytes, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
