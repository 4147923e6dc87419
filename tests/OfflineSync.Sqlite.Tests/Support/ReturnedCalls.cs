using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OfflineSync.Sqlite.CrashWriter;
using OfflineSync.Tests.Model;

namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// Checks a store file left by a crash against the <see cref="CrashScript"/> replayed in memory (S4).
/// </summary>
/// <remarks>
/// "Every mutation whose call had returned, none twice", coalescing included: the replay of the first
/// n calls says what the queue must hold (A); the replay of one call more says what call n+1, which
/// had not returned, would have left (B). The file must hold exactly A or exactly B, or — when the
/// crash came between two writes of call n+1 — a queue that still holds every row of A unchanged
/// and otherwise only rows of B, each sequence once. The reopened client must show the items of A or
/// of B, and the file must pass <c>PRAGMA integrity_check</c>.
/// </remarks>
internal static class ReturnedCalls
{
    /// <summary>What a crashed file held of the call that had not returned.</summary>
    public enum Outcome
    {
        /// <summary>Nothing: exactly the returned calls.</summary>
        Returned,

        /// <summary>All of it.</summary>
        WithNext,

        /// <summary>Some of its writes, and still every row of the returned calls.</summary>
        Between,
    }

    /// <summary>Asserts the file holds exactly the first <paramref name="returned"/> calls, or one more, or a state between that loses nothing.</summary>
    public static async Task<Outcome> AssertStoredAsync(string storePath, IReadOnlyList<string> script, int returned, string context)
    {
        Assert.Equal("ok", IntegrityCheck(storePath));
        SqliteMutationStore store = SqliteMutationStore.Open(storePath);
        StoreState state = store.Load();
        long nextCounter = store.NextOptimisticCounter("projects");
        await using TestSync reopened = CrashScript.OpenClient(store);
        string[] actual = Describe(state);
        string actualView = View(reopened);

        await using TestSync replay = CrashScript.OpenClient(new InMemoryMutationStore(), state.ClientId);
        var replayStore = (InMemoryMutationStore)replay.Options.Store!;
        var runner = new CrashScript.Runner(replay);
        foreach (string line in script.Take(returned))
        {
            runner.Run(line);
        }

        // The numeric optimistic keys handed out before the crash are never handed out again (S2).
        long highestKey = runner.ProjectKeys.Select(static key => -key).DefaultIfEmpty(0).Max();
        Assert.True(nextCounter > highestKey, $"{context}: the counter restarts at {nextCounter}, but {highestKey} was handed out.");
        Assert.Equal(state.Pending.Count, state.Pending.Select(static m => m.Sequence).Distinct().Count());
        Assert.Equal(state.Pending.Count, state.Pending.Select(static m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());

        StoreState returnedState = replayStore.Load();
        string[] expected = Describe(returnedState);
        string expectedView = View(replay);
        if (actual.SequenceEqual(expected))
        {
            Assert.True(expectedView == actualView, $"{context}: the reopened items differ from the replay.\nexpected {expectedView}\nactual   {actualView}");
            return Outcome.Returned;
        }

        Assert.True(returned < script.Count, $"{context}: the store differs from the replay of the whole script.");
        runner.Run(script[returned]);
        StoreState nextState = replayStore.Load();
        string[] withNext = Describe(nextState);
        string withNextView = View(replay);
        string states =
            $"returned calls:\n  {string.Join("\n  ", expected)}\nwith the next call '{script[returned]}':\n  {string.Join("\n  ", withNext)}\n" +
            $"the store:\n  {string.Join("\n  ", actual)}";
        if (actual.SequenceEqual(withNext))
        {
            Assert.True(withNextView == actualView, $"{context}: the reopened items differ from the replay.\nexpected {withNextView}\nactual   {actualView}");
            return Outcome.WithNext;
        }

        // Between two writes of the call that had not returned: nothing that returned may be missing.
        string[] lost = expected.Skip(1).Except(actual, StringComparer.Ordinal).ToArray();
        string[] foreign = actual.Skip(1).Except(expected.Concat(withNext), StringComparer.Ordinal).ToArray();
        Assert.True(lost.Length == 0, $"{context}: the store lost {string.Join(", ", lost)}.\n{states}");
        Assert.True(foreign.Length == 0, $"{context}: the store holds rows of neither state: {string.Join(", ", foreign)}.\n{states}");
        Assert.InRange(state.LastSequence, returnedState.LastSequence, nextState.LastSequence);
        Assert.True(
            actualView == expectedView || actualView == withNextView,
            $"{context}: the reopened items are neither those of the returned calls nor those with the next call.\n{expectedView}\n{withNextView}\nactual {actualView}");
        return Outcome.Between;
    }

    private static string[] Describe(StoreState state) =>
    [
        $"last sequence {state.LastSequence}",
        .. state.Pending.Select(static m =>
            $"{m.Sequence} {m.Kind} {m.Resource} {m.Key} idempotency={m.IdempotencyKey} app={m.AppIdempotencyKey} base={m.BaseVersion} " +
            $"{m.Status} attempts={m.Attempts} {Encoding.UTF8.GetString(m.Payload.Span)}"),
        .. state.Mappings.Select(static m => $"mapping {m.Resource} {m.OptimisticKey} {m.ServerKey}"),
    ];

    private static string View(TestSync client) =>
        $"todos {JsonSerializer.Serialize(client.Todos.Items)} categories {JsonSerializer.Serialize(client.Categories.Items)} " +
        $"projects {JsonSerializer.Serialize(client.Projects.Items)} attachments {JsonSerializer.Serialize(client.Attachments.Items)}";

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
