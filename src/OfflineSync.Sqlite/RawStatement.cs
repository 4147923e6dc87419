using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Sqlite;

/// <summary>
/// One SQL statement compiled once on the connection's native handle, bound by position and run
/// without a command or data-reader object: on the store's hot paths (an enqueue, a confirmation)
/// binding fourteen parameters by name and creating a reader per call cost more than SQLite's own work.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="SqliteException"/> with SQLite's extended error code, exactly as
/// Microsoft.Data.Sqlite reports them. Not thread-safe: the store calls it under its lock.
/// </remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
    }

    /// <summary>Binds an integer to the parameter at <paramref name="index"/> (1-based).</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds a text, or NULL for <see langword="null"/>.</summary>
    public void Bind(int index, string? value) => Check(value switch
    {
        null => raw.sqlite3_bind_null(_statement, index),

        // An empty span would reach SQLite as a null pointer, which binds NULL, not ''.
        "" => raw.sqlite3_bind_text(_statement, index, ""),

        // UTF-16 straight from the string: no UTF-8 copy on the managed side (SQLite copies and converts).
        _ => raw.sqlite3_bind_text16(_statement, index, value.AsSpan()),
    });

    /// <summary>Binds a blob; an empty one is a zero-length blob, never NULL.</summary>
    public void Bind(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Binds an integer, or NULL for <see langword="null"/>.</summary>
    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its end.</summary>
    /// <exception cref="SqliteException">SQLite refused it (constraint, I/O error, …).</exception>
    public void Execute()
    {
        int rc;
        while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
        {
        }

        Finish(rc);
    }

    /// <summary>Runs the statement and returns the first column of its first row, or <paramref name="none"/> without a row.</summary>
    public long ExecuteScalar(long none)
    {
        int rc = raw.sqlite3_step(_statement);
        long value = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_statement, 0) : none;
        while (rc == raw.SQLITE_ROW)
        {
            rc = raw.sqlite3_step(_statement);
        }

        Finish(rc);
        return value;
    }

    public void Dispose() => _statement.Dispose();

    private void Finish(int rc)
    {
        // Reset keeps the compiled statement for the next call; its own result repeats the step's error.
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
