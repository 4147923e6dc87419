using System.Globalization;
using System.Text.Json;
using OfflineSync.Chaos.Tests.Support;
using OfflineSync.Protocol;
using OfflineSync.TestModel;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.Chaos.Tests;

/// <summary>
/// One chaos run: a server process and client processes (each with its own SQLite store and
/// journal) behind a <see cref="FaultProxy"/>; during the fault phase every process is killed with
/// SIGKILL and restarted at random; then faults stop, everything restarts, every client drains, and
/// the run collects the <see cref="ChaosEvidence"/>.
/// </summary>
internal sealed class ChaosRun : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(60);

    private readonly ChaosSettings _settings;
    private readonly ConflictStrategy _strategy;
    private readonly Action<string> _log;
    private readonly FaultProxy _proxy;
    private readonly string _clientAssembly = ChildProcess.BuiltPath("ChaosClientPath");
    private readonly string _serverAssembly = ChildProcess.BuiltPath("ChaosServerPath");
    private readonly List<ClientSlot> _clients;
    private readonly List<string> _incidents = new();
    private ChildProcess? _server;
    private Uri? _serverAddress;
    private int _serverKills;
    private int _clientKills;

    public ChaosRun(ChaosSettings settings, ConflictStrategy strategy, Action<string> log)
    {
        _settings = settings;
        _strategy = strategy;
        _log = log;
        Directory = System.IO.Directory.CreateTempSubdirectory($"offlinesync-chaos-{strategy}-").FullName;
        _proxy = new FaultProxy(StableSeed.Of(settings.Seed, "proxy"));
        _clients = Enumerable.Range(1, settings.Clients).Select(i => new ClientSlot($"c{i}", Directory)).ToList();
    }

    /// <summary>Gets the run's folder: the server database, each client's store, journal and log.</summary>
    public string Directory { get; }

    private string ServerDatabase => Path.Combine(Directory, "server.db");

    /// <summary>Gets what went wrong with the processes themselves (a client that could not start, say): each is a failure.</summary>
    public IReadOnlyList<string> Incidents => _incidents;

    /// <summary>Keeps the run's folder after the run (for a failed run: the journals and logs explain it).</summary>
    public bool Keep { get; set; }

    public async Task<ChaosEvidence> RunAsync()
    {
        await StartServerAsync();
        ServerHistory.Record(ServerDatabase);
        long sentinel = await PlantSentinelAsync();

        using (var phase = new CancellationTokenSource(_settings.FaultPhase))
        {
            Task[] loops = [.. _clients.Select(c => ClientLoopAsync(c, phase.Token)), ServerLoopAsync(phase.Token), OutageLoopAsync(phase.Token)];
            await Task.WhenAll(loops);
        }

        // The fault phase ends as it went: everything is killed, whatever it was doing.
        foreach (ClientSlot slot in _clients)
        {
            await slot.KillAsync();
        }

        await KillServerAsync();
        _log($"{_strategy}: fault phase over: {_clientKills} client kills, {_serverKills} server kills; proxy: {_proxy.Describe()}");

        _proxy.FaultsEnabled = false;
        await StartServerAsync();
        foreach (ClientSlot slot in _clients)
        {
            slot.Incarnation++;
            slot.Process = StartClient(slot, "final", _serverAddress!);
            await slot.Process.WaitForLineAsync("ready", StartTimeout);
        }

        await DrainAsync();
        using var observer = new ServerObserver(_serverAddress!, "chaos-checker");
        (ServerSnapshot server, Dictionary<string, ClientDump> dumps) = await ConvergeAsync(observer);
        List<ObservedEvent> history = ServerHistory.Read(ServerDatabase, sentinel);
        foreach (ClientSlot slot in _clients)
        {
            await slot.KillAsync();
        }

        var journals = _clients.ToDictionary(static c => c.Id, static c => JournalEntry.ReadAll(c.Journal));
        return new ChaosEvidence(_strategy, journals, dumps, server, history);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ClientSlot slot in _clients)
        {
            await slot.KillAsync();
        }

        await KillServerAsync();
        await _proxy.DisposeAsync();
        if (!Keep && !_settings.KeepDirectory)
        {
            await DeleteDirectoryAsync();
        }
    }

    /// <summary>Deletes the run's folder; a killed child's last writes may still be landing, so it tries a few times.</summary>
    private async Task DeleteDirectoryAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && attempt < 5)
            {
                await Task.Delay(500);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log($"Could not delete {Directory}: {e.Message}");
                return;
            }
        }
    }

    private async Task StartServerAsync()
    {
        _server = ChildProcess.Start(_serverAssembly, [ServerDatabase], Path.Combine(Directory, "server.log"));
        string line = await _server.WaitForLineAsync("listening ", StartTimeout);
        _serverAddress = new Uri(line["listening ".Length..]);
        _proxy.SetUpstream(_serverAddress);
    }

    private async Task KillServerAsync()
    {
        _proxy.SetUpstream(null);
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>
    /// Creates and deletes a row before any client starts: the feed resumed after the returned
    /// sequence is the whole history of the run (a feed from 0 would be a snapshot instead).
    /// </summary>
    private async Task<long> PlantSentinelAsync()
    {
        using var http = new HttpClient { BaseAddress = _serverAddress };
        using var create = new HttpRequestMessage(HttpMethod.Post, "sync/boards") { Content = new StringContent("""{"id":-1,"title":"sentinel","nonce":"sentinel"}""", System.Text.Encoding.UTF8, "application/json") };
        create.Headers.Add(SyncHeaderNames.ClientId, "chaos-sentinel");
        create.Headers.Add(SyncHeaderNames.IdempotencyKey, "sentinel:1");
        using HttpResponseMessage created = await http.SendAsync(create);
        Assert.True(created.IsSuccessStatusCode, $"The sentinel's create answered {(int)created.StatusCode}.");
        string key = created.Headers.GetValues(SyncHeaderNames.SyncKey).Single();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"sync/boards/{key}");
        delete.Headers.Add(SyncHeaderNames.ClientId, "chaos-sentinel");
        delete.Headers.Add(SyncHeaderNames.IdempotencyKey, "sentinel:2");
        using HttpResponseMessage deleted = await http.SendAsync(delete);
        Assert.True(deleted.IsSuccessStatusCode, $"The sentinel's delete answered {(int)deleted.StatusCode}.");
        using var observer = new ServerObserver(_serverAddress!, "chaos-checker");
        return (await observer.SnapshotAsync()).Head;
    }

    private ChildProcess StartClient(ClientSlot slot, string mode, Uri server) =>
        ChildProcess.Start(
            _clientAssembly,
            [
                "--mode", mode, "--client", slot.Id, "--server", server.ToString(), "--store", slot.Store, "--journal", slot.Journal,
                "--seed", _settings.Seed.ToString(CultureInfo.InvariantCulture), "--incarnation", slot.Incarnation.ToString(CultureInfo.InvariantCulture),
                "--strategy", _strategy.ToString(),
            ],
            slot.Log);

    private async Task ClientLoopAsync(ClientSlot slot, CancellationToken phase)
    {
        var random = new Random(StableSeed.Of(_settings.Seed, slot.Id + "/schedule"));
        while (!phase.IsCancellationRequested)
        {
            slot.Incarnation++;
            slot.Process = StartClient(slot, "chaos", _proxy.Address);
            try
            {
                await slot.Process.WaitForLineAsync("ready", StartTimeout);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                Incident($"{slot.Id} incarnation {slot.Incarnation} did not start: {e.Message} (log: {slot.Log})");
            }

            await Pause(random.Next(2_000, 8_000), phase);
            await slot.KillAsync();
            Interlocked.Increment(ref _clientKills);
            await Pause(random.Next(100, 1_500), phase);
        }
    }

    private async Task ServerLoopAsync(CancellationToken phase)
    {
        var random = new Random(StableSeed.Of(_settings.Seed, "server/schedule"));
        while (!phase.IsCancellationRequested)
        {
            await Pause(random.Next(4_000, 10_000), phase);
            if (phase.IsCancellationRequested)
            {
                return;
            }

            await KillServerAsync();
            Interlocked.Increment(ref _serverKills);
            await Pause(random.Next(200, 2_000), phase);
            if (phase.IsCancellationRequested)
            {
                return;
            }

            await StartServerAsync();
        }
    }

    private async Task OutageLoopAsync(CancellationToken phase)
    {
        var random = new Random(StableSeed.Of(_settings.Seed, "outage/schedule"));
        while (!phase.IsCancellationRequested)
        {
            await Pause(random.Next(2_000, 6_000), phase);
            _proxy.CutAll();
        }
    }

    /// <summary>Asks every client for its status until every queue is empty, nothing can move any more, or the time is up.</summary>
    private async Task DrainAsync()
    {
        DateTime deadline = DateTime.UtcNow + DrainTimeout;
        while (true)
        {
            var statuses = new List<(ClientSlot Slot, int Pending, int Stuck)>();
            foreach (ClientSlot slot in _clients)
            {
                await slot.Process!.SendAsync("status");
                string[] parts = (await slot.Process.WaitForLineAsync("status ", StartTimeout)).Split(' ', '=');
                statuses.Add((slot, int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[4], CultureInfo.InvariantCulture)));
            }

            if (statuses.All(static s => s.Pending == s.Stuck))
            {
                _log($"{_strategy}: drained ({string.Join(", ", statuses.Select(static s => $"{s.Slot.Id} {s.Pending} left, {s.Stuck} failed"))})");
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                _log($"{_strategy}: the drain did not finish in {DrainTimeout}: {string.Join(", ", statuses.Select(static s => $"{s.Slot.Id} {s.Pending} left, {s.Stuck} failed"))}");
                return;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Waits until every client's view equals the server's rows (or the time is up) and returns both sides as last seen.</summary>
    private async Task<(ServerSnapshot Server, Dictionary<string, ClientDump> Dumps)> ConvergeAsync(ServerObserver observer)
    {
        DateTime deadline = DateTime.UtcNow + ConvergeTimeout;
        while (true)
        {
            ServerSnapshot server = await observer.SnapshotAsync();
            var dumps = new Dictionary<string, ClientDump>();
            foreach (ClientSlot slot in _clients)
            {
                string path = Path.Combine(Directory, $"{slot.Id}.dump.json");
                await slot.Process!.SendAsync("dump " + path);
                await slot.Process.WaitForLineAsync("dumped", StartTimeout);
                dumps[slot.Id] = JsonSerializer.Deserialize<ClientDump>(await File.ReadAllTextAsync(path), JournalEntry.Json)!;
            }

            // A queue that still holds mutations keeps their changes on top of the view: it cannot converge, the checks say why.
            HashSet<string> expected = ChaosChecks.ServerItems(server);
            if (dumps.Values.All(d => ChaosChecks.ViewItems(d).SetEquals(expected)) || dumps.Values.Any(static d => d.Pending > 0) || DateTime.UtcNow > deadline)
            {
                return (server, dumps);
            }

            await Task.Delay(500);
        }
    }

    private void Incident(string text)
    {
        lock (_incidents)
        {
            _incidents.Add(text);
        }

        _log(text);
    }

    private static async Task Pause(int milliseconds, CancellationToken phase)
    {
        try
        {
            await Task.Delay(milliseconds, phase);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One client: its files, and its current process and incarnation.</summary>
    private sealed class ClientSlot(string id, string directory)
    {
        public string Id { get; } = id;

        public string Store { get; } = Path.Combine(directory, id + ".db");

        public string Journal { get; } = Path.Combine(directory, id + ".journal");

        public string Log { get; } = Path.Combine(directory, id + ".log");

        public int Incarnation { get; set; }

        public ChildProcess? Process { get; set; }

        public async Task KillAsync()
        {
            if (Process is { } process)
            {
                Process = null;
                await process.DisposeAsync();
            }
        }
    }
}
