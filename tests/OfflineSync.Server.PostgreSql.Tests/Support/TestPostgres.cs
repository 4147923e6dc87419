using System.Reflection;
using Npgsql;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>
/// The PostgreSQL server of the tests: <c>OFFLINESYNC_TEST_POSTGRES</c>, a connection string of a user that may
/// create databases, as <c>eng/ci/postgres.sh start</c> exports it. Under CI the tests run or fail, never skip.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "OFFLINESYNC_TEST_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason a test cannot run here, or <see langword="null"/>; under CI there is none: a missing server fails the test.</summary>
    public static string? SkipReason => AdminConnectionString is null && !IsCi
        ? $"{Variable} is not set: start a PostgreSQL with `eval \"$(bash eng/ci/postgres.sh start)\"` to run this test."
        : null;

    public static string RequireAdminConnectionString() => AdminConnectionString
        ?? throw new InvalidOperationException($"{Variable} is not set, and CI=true: .ci/run must start PostgreSQL (eng/ci/postgres.sh start) before the tests.");

    /// <summary>The sample server's assembly, as the build recorded it.</summary>
    public static string TodoServerPath => typeof(TestPostgres).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(static a => a.Key == "TodoServerPath").Value!;
}

/// <summary>A fact that needs PostgreSQL: skipped where none is configured, except under CI, where it fails instead.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestPostgres.SkipReason;
}

/// <summary>A theory that needs PostgreSQL (see <see cref="PostgresFactAttribute"/>).</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = TestPostgres.SkipReason;
}

/// <summary>A database of its own for one test class (or one test): created on first use, dropped at the end, whatever the tests left in it.</summary>
public sealed class TestDatabase : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _name = "offlinesync_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    /// <summary>Gets the connection string of the database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>Creates a database for one test.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        return database;
    }

    /// <summary>Gets a schema name no other test of the class uses, so each test starts from an empty store.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is not null)
        {
            return; // every test of the class is skipped
        }

        string admin = TestPostgres.RequireAdminConnectionString();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_name};", connection);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _name }.ConnectionString;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestPostgres.RequireAdminConnectionString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query on the database and returns its single value.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
