extern alias TodoAppServer;

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineSync.Server;
using TodoAppServer::TodoApp.Server;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// What one request may cost the server (docs/benchmarks.md, "What one request costs"): the requests an attacker
/// would send, each measured by what it makes the server send, store and hold — answer bytes, database growth, the
/// SQLite WAL behind a slow feed reader, PostgreSQL connections held by slow feeds, memory of one large list, and
/// how many feeds one client may open.
/// </summary>
/// <remarks>
/// <c>request-cost [--postgres CONN]</c>: SQLite always; PostgreSQL too when CONN (default <c>OFFLINESYNC_TEST_POSTGRES</c>)
/// is given. Only the HTTP protocol is used, so the same run measures any version of the server. Requests are raw
/// HTTP, so what is counted is exactly what the server sent.
/// </remarks>
internal static class RequestCostBenchmark
{
    private const string Client = "attacker";

    public static async Task<int> RunAsync(string[] args)
    {
        string directory = Directory.CreateTempSubdirectory("offlinesync-bench-cost-").FullName;
        try
        {
            string file = Path.Combine(directory, "server.db");
            await RunAsync("SQLite", o => o.UseSqlite(file), new SqliteSize(file));
            string? postgres = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("OFFLINESYNC_TEST_POSTGRES");
            if (postgres is not null)
            {
                await using BenchDatabase database = await BenchDatabase.CreateAsync(postgres);
                const string schema = "cost";
                await RunAsync("PostgreSQL", o => o.UsePostgres(database.ConnectionString, s => s.Schema = schema), new PostgresSize(database.ConnectionString, schema));
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunAsync(string label, Action<SyncServerOptions> store, IStoreSize size)
    {
        Console.WriteLine($"{label}:");
        await using SyncServerHost server = await TodoServer.StartAsync(store);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        var sequence = new Counter();

        // A row as large as a create may be (MaxRequestBodySize, 1 MiB by default), all characters the default JSON encoder escapes.
        string title = string.Concat(Enumerable.Repeat("<>&'\"", (1024 * 1024 - 256) / 6));
        byte[] create = Json($"{{\"id\":\"big\",\"title\":{JsonString(title)}}}");
        Answer created = await SendAsync(http, HttpMethod.Post, "sync/todos", create, sequence);
        Report($"create of a {Kib(create.Length)} todo of <>&'\" : answer {Kib(created.Bytes)} (status {created.Status}): the stored row");

        // 30 empty patches in one batch, then 30 one-field patches.
        foreach ((string name, Func<int, string> patch) in new (string, Func<int, string>)[] { ("empty", static _ => "{}"), ("one-field", static i => i % 2 == 0 ? "{\"completed\":true}" : "{\"completed\":false}") })
        {
            long before = await size.DatabaseBytesAsync();
            byte[] batch = Batch(30, i => ("big", patch(i)), sequence);
            Answer answer = await SendAsync(http, HttpMethod.Post, "sync/batch", batch, sequence, keepBody: true);
            long after = await size.DatabaseBytesAsync();
            Report($"batch of 30 {name} patches ({batch.Length:N0} B): answer {Kib(answer.Bytes)} with {Results(answer)} results (status {answer.Status}), database +{Kib(after - before)}");
        }

        await SlowFeedsAsync(server.Address, http, size, sequence);
        await LargeListAsync(http, sequence);
        await FeedCapAsync(server.Address);
    }

    /// <summary>Feeds whose readers stop reading while writes go on: the WAL (SQLite) and the connections they hold (PostgreSQL).</summary>
    private static async Task SlowFeedsAsync(Uri address, HttpClient http, IStoreSize size, Counter sequence)
    {
        const int Rows = 2_000;
        string text = new('s', 8 * 1024);
        for (int start = 0; start < Rows; start += 200)
        {
            await SendAsync(http, HttpMethod.Post, "sync/batch", Batch(200, i => ($"slow-{start + i:D5}", $"{{\"id\":\"slow-{start + i:D5}\",\"title\":\"{text}\"}}"), sequence, create: true), sequence);
        }

        long walBefore = size.WalBytes();
        var readers = new List<TcpClient>();
        for (int i = 0; i < 4; i++)
        {
            readers.Add(await OpenUnreadFeedAsync(address, "todos", $"slow-reader-{i}"));
        }

        await Task.Delay(500);
        int held = await size.BusyConnectionsAsync();
        long walPeak = walBefore;
        for (int round = 0; round < 40; round++)
        {
            await SendAsync(http, HttpMethod.Post, "sync/batch", Batch(50, i => ($"slow-{(round * 50 + i) % Rows:D5}", $"{{\"title\":\"{round}{text}\"}}"), sequence), sequence);
            walPeak = Math.Max(walPeak, size.WalBytes());
        }

        long walWhileReading = size.WalBytes();
        readers.ForEach(static r => r.Dispose());
        await Task.Delay(500);
        await SendAsync(http, HttpMethod.Post, "sync/batch", Batch(1, _ => ("slow-00000", "{\"title\":\"after\"}"), sequence), sequence);
        long walAfter = size.WalBytes();
        Report(size.HasWal
            ? $"4 feeds not read during 40 batches of 50 updates of 8 KiB rows: WAL {Mib(walBefore)} before, {Mib(walPeak)} peak, {Mib(walWhileReading)} at the end, {Mib(walAfter)} after the readers left and one more write"
            : $"4 feeds not read during 40 batches of 50 updates of 8 KiB rows: {held} database connections busy with them");
    }

    /// <summary>One list request for 1,000 rows of 64 KiB: what the server sends and what it allocates and holds meanwhile.</summary>
    private static async Task LargeListAsync(HttpClient http, Counter sequence)
    {
        string text = new('t', 64 * 1024);
        for (int start = 0; start < 1_000; start += 25)
        {
            // 25 rows of 64 KiB: under any batch answer limit, so each batch applies all of its items.
            Answer seeded = await SendAsync(http, HttpMethod.Post, "sync/batch", Batch(25, i => ($"tag-{start + i:D4}", $"{{\"id\":\"tag-{start + i:D4}\",\"name\":\"{text}\"}}"), sequence, create: true, resource: "tags"), sequence, keepBody: true);
            if (Results(seeded) != 25)
            {
                throw new InvalidOperationException($"Seeding the tags applied {Results(seeded)} of 25 items.");
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        long peak = heapBefore;
        var sampler = new Thread(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        sampler.Start();
        Answer page = await SendAsync(http, HttpMethod.Get, "sync/tags?limit=1000", null, sequence);
        await sampling.CancelAsync();
        sampler.Join();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Report($"GET /sync/tags?limit=1000 over 1,000 rows of 64 KiB: answer {Mib(page.Bytes)} in one page, {Mib(allocated)} allocated and heap +{Mib(peak - heapBefore)} at its peak during the request");

        int pages = 0;
        long bytes = 0;
        string? after = null;
        while (true)
        {
            pages++;
            Answer next = await SendAsync(http, HttpMethod.Get, "sync/tags?limit=1000" + (after is null ? "" : "&after=" + after), null, sequence, keepBody: true);
            bytes += next.Bytes;
            using var json = System.Text.Json.JsonDocument.Parse(next.Body);
            System.Text.Json.JsonElement items = json.RootElement.GetProperty("items");
            if (!json.RootElement.GetProperty("hasMore").GetBoolean() || items.GetArrayLength() == 0)
            {
                break;
            }

            after = items[items.GetArrayLength() - 1].GetProperty("key").GetString();
        }

        Report($"listing all 1,000 of them: {pages} pages, {Mib(bytes)} in all");
    }

    /// <summary>Opens 200 feeds as one client and counts the ones the server accepts.</summary>
    private static async Task FeedCapAsync(Uri address)
    {
        var feeds = new List<TcpClient>();
        int accepted = 0, refused = 0;
        string? retryAfter = null;
        try
        {
            for (int i = 0; i < 200; i++)
            {
                TcpClient feed = await ConnectAsync(address, "categories", Client);
                feeds.Add(feed);
                string head = await ReadHeadAsync(feed.GetStream());
                if (head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                {
                    accepted++;
                }
                else
                {
                    refused++;
                    retryAfter ??= head.Split("\r\n").FirstOrDefault(static l => l.StartsWith("Retry-After:", StringComparison.OrdinalIgnoreCase));
                }
            }
        }
        finally
        {
            feeds.ForEach(static f => f.Dispose());
        }

        Report($"200 feeds of one client: {accepted} accepted, {refused} refused{(retryAfter is null ? "" : $" ({retryAfter})")}");
    }

    private static async Task<TcpClient> OpenUnreadFeedAsync(Uri address, string resource, string client)
    {
        TcpClient tcp = await ConnectAsync(address, resource, client);
        tcp.ReceiveBufferSize = 4096;
        await ReadHeadAsync(tcp.GetStream());
        return tcp;
    }

    private static async Task<TcpClient> ConnectAsync(Uri address, string resource, string client)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        byte[] request = Encoding.ASCII.GetBytes($"GET /sync/{resource}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-Id: {client}\r\nAccept: text/event-stream\r\n\r\n");
        await tcp.GetStream().WriteAsync(request);
        return tcp;
    }

    /// <summary>Reads up to the end of the answer's headers, byte by byte: nothing of the body is read.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static byte[] Batch(int count, Func<int, (string Key, string Data)> item, Counter sequence, bool create = false, string resource = "todos")
    {
        var json = new StringBuilder("{\"mutations\":[");
        for (int i = 0; i < count; i++)
        {
            (string key, string data) = item(i);
            string kind = create ? "create" : "update";
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"resource\":\"{resource}\",\"kind\":\"{kind}\",\"key\":\"{key}\",\"idempotencyKey\":\"{resource}:{kind}:{key}:{Client}:{sequence.Next()}\",\"clientId\":\"{Client}\",\"data\":{data}}}");
        }

        return Json(json.Append("]}").ToString());
    }

    private static async Task<Answer> SendAsync(HttpClient http, HttpMethod method, string path, byte[]? body, Counter sequence, bool keepBody = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-Client-Id", Client);
        if (body is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", $"todos:create:big:{Client}:{sequence.Next()}");
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        var kept = keepBody ? new MemoryStream() : null;
        byte[] buffer = new byte[64 * 1024];
        long bytes = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            kept?.Write(buffer, 0, read);
        }

        return new Answer((int)response.StatusCode, bytes, kept?.ToArray() ?? []);
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static int Results(Answer batch)
    {
        using var json = System.Text.Json.JsonDocument.Parse(batch.Body);
        return json.RootElement.GetProperty("results").GetArrayLength();
    }

    /// <summary>A JSON string as an attacker writes it: only <c>"</c> and <c>\</c> escaped, as JSON requires.</summary>
    private static string JsonString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static void Report(string line) => Console.WriteLine("  " + line);

    private static string Kib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N0} KiB");

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):N1} MiB");

    private readonly record struct Answer(int Status, long Bytes, byte[] Body);

    private sealed class Counter
    {
        private long _next;

        public long Next() => Interlocked.Increment(ref _next);
    }

    private interface IStoreSize
    {
        bool HasWal { get; }

        /// <summary>The database's size with every committed change in place (for SQLite: after a checkpoint).</summary>
        Task<long> DatabaseBytesAsync();

        long WalBytes();

        /// <summary>The database connections busy with a statement or a transaction, other than this one and the listener.</summary>
        Task<int> BusyConnectionsAsync();
    }

    private sealed class SqliteSize(string path) : IStoreSize
    {
        public bool HasWal => true;

        public Task<long> DatabaseBytesAsync()
        {
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using SqliteCommand checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                checkpoint.ExecuteNonQuery();
            }

            return Task.FromResult(new FileInfo(path).Length);
        }

        public long WalBytes() => File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0;

        public Task<int> BusyConnectionsAsync() => Task.FromResult(0);
    }

    private sealed class PostgresSize(string connectionString, string schema) : IStoreSize
    {
        public bool HasWal => false;

        public async Task<long> DatabaseBytesAsync()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COALESCE(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)), 0)::bigint FROM pg_tables WHERE schemaname = $1;", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public long WalBytes() => 0;

        public async Task<int> BusyConnectionsAsync()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND query NOT LIKE 'LISTEN%' AND query NOT LIKE 'SET application_name%';", connection);
            return (int)(await command.ExecuteScalarAsync())!;
        }
    }
}
