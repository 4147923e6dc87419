using OfflineSync.Sqlite.CrashWriter;
using OfflineSync.Tests.Model;
using Xunit.Abstractions;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// S4 at every point a crash can hit: the engine's calls into a <see cref="Durability.Full"/> store
/// are the only moments anything reaches the disk, so stopping the process before the k-th store
/// write, for every k, covers every state a SIGKILL can leave — deterministically, where
/// <see cref="CrashDurabilityTests"/> samples them with real kills.
/// </summary>
public sealed class CrashPointTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string[], int> Scripts => new()
    {
        {
            // Every call that writes more than once: a numeric key (counter, then append), an update kept
            // apart from its create (S5), a delete that drops a pending update (S6) of an item another
            // create depends on, a double click, a delete that cancels a never-sent create.
            "calls that write twice",
            [
                "create-category category-1 work -",
                "create-todo todo-1 first - -",
                "create-attachment 00000001-0001-0007-0809-0a0b0c0d0e0f todo-1 - -",
                "create-category category-2 home -",
                "update-todo-category todo-1 category-2 app-5",
                "update-todo-title todo-1 renamed -",
                "create-project p1 alpha -",
                "update-project p1 beta -",
                "delete-todo todo-1 app-9",
                "delete-todo todo-1 app-9",
                "delete-project p1 -",
                "create-todo todo-2 second category-1 -",
            ],
            10_000
        },
        {
            // S7: every new mutation past four drops the oldest, which depends on nothing that comes later.
            "queue full, drop oldest",
            [
                "create-category category-1 work -",
                "create-todo todo-1 first category-1 -",
                "create-todo todo-2 second - -",
                "create-project p1 alpha -",
                "create-todo todo-3 third - -",
                "update-todo-title todo-2 renamed -",
                "create-category category-2 home -",
                "update-todo-category todo-3 category-2 -",
                "delete-todo todo-2 -",
            ],
            4
        },
        { "generated", CrashScript.Generate(seed: 20261201, count: 60).ToArray(), 10_000 },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Crash_BeforeEachStoreWrite_ReopenedStoreHoldsEveryReturnedCallOnce(string name, string[] script, int maxQueueSize)
    {
        // S4
        int writes = await RunAsync(_folder.File($"{name}-complete.db"), script, crashAt: int.MaxValue, maxQueueSize);
        Assert.True(writes >= script.Length / 2, $"The script '{name}' wrote only {writes} times.");

        var outcomes = new Dictionary<ReturnedCalls.Outcome, int>();
        for (int crashAt = 1; crashAt <= writes; crashAt++)
        {
            string path = _folder.File($"{name}-{crashAt}.db");
            int returned = await RunAsync(path, script, crashAt, maxQueueSize);

            ReturnedCalls.Outcome outcome = await ReturnedCalls.AssertStoredAsync(path, script, returned, $"script '{name}', crash before write {crashAt}, {returned} calls returned", maxQueueSize);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{script.Length} calls, {writes} crash points: {string.Join(", ", outcomes.Select(static o => $"{o.Key} {o.Value}"))}");
    }

    /// <summary>Runs the script until the store "crashes"; returns the calls that returned, or the writes made when none crashed.</summary>
    private static async Task<int> RunAsync(string path, string[] script, int crashAt, int maxQueueSize)
    {
        var store = new CrashingStore(SqliteMutationStore.Open(path), crashAt);
        await using TestSync client = CrashScript.OpenClient(store, maxQueueSize: maxQueueSize);
        var runner = new CrashScript.Runner(client);
        for (int i = 0; i < script.Length; i++)
        {
            try
            {
                runner.Run(script[i]);
            }
            catch (SimulatedCrashException)
            {
                return i;
            }
        }

        return store.Writes;
    }
}
