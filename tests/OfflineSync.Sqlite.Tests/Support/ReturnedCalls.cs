using System.Text;
using System.Text.Json;
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
/// crash came between two writes of call n+1 — a queue whose every row is as A or as B has it, and
/// that changes or lacks a row of A only when it holds every mutation B adds: a call stores what it
/// queues before it drops or changes what that replaces (a delete its pending updates, S6; a full
/// queue its oldest mutation, S7), so no returned call is undone for a call that did not return.
/// The reopened client must show the items of A or of B (between: each item as A or B shows it, none
/// that both show missing), and the file must pass <c>PRAGMA integrity_check</c>.
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

        /// <summary>Some of its writes, none of which undoes a returned call.</summary>
        Between,
    }

    /// <summary>Asserts the file holds exactly the first <paramref name="returned"/> calls, or one more, or a state between that loses nothing.</summary>
    public static async Task<Outcome> AssertStoredAsync(string storePath, IReadOnlyList<string> script, int returned, string context, int maxQueueSize = 10_000)
    {
        Assert.Equal("ok", StoreFiles.Scalar(storePath, "PRAGMA integrity_check"));
        SqliteMutationStore store = SqliteMutationStore.Open(storePath);
        StoreState state = store.Load();
        long nextCounter = store.NextOptimisticCounter("projects");
        await using TestSync reopened = CrashScript.OpenClient(store, maxQueueSize: maxQueueSize);
        string[] actual = Describe(state);
        string[] actualView = View(reopened);

        await using TestSync replay = CrashScript.OpenClient(new InMemoryMutationStore(), state.ClientId, maxQueueSize);
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
        string[] expectedView = View(replay);
        if (actual.SequenceEqual(expected))
        {
            AssertSameItems(expectedView, actualView, context);
            return Outcome.Returned;
        }

        Assert.True(returned < script.Count, $"{context}: the store differs from the replay of the whole script.");
        runner.Run(script[returned]);
        StoreState nextState = replayStore.Load();
        string[] withNext = Describe(nextState);
        string[] withNextView = View(replay);
        string states =
            $"returned calls:\n  {string.Join("\n  ", expected)}\nwith the next call '{script[returned]}':\n  {string.Join("\n  ", withNext)}\n" +
            $"the store:\n  {string.Join("\n  ", actual)}";
        if (actual.SequenceEqual(withNext))
        {
            AssertSameItems(withNextView, actualView, context);
            return Outcome.WithNext;
        }

        // Between two writes of the call that had not returned: each row is as before or after the call,
        // and the call may change or remove a row of a returned call only once what it adds is stored.
        Dictionary<string, string> before = BySequence(expected), after = BySequence(withNext), now = BySequence(actual);
        string[] foreign = now.Where(row => before.GetValueOrDefault(row.Key) != row.Value && after.GetValueOrDefault(row.Key) != row.Value).Select(static row => row.Value).ToArray();
        string[] touched = before.Where(row => now.GetValueOrDefault(row.Key) != row.Value).Select(static row => row.Value).ToArray();
        string[] missingNew = after.Where(row => !before.ContainsKey(row.Key) && !now.ContainsKey(row.Key)).Select(static row => row.Value).ToArray();
        Assert.True(foreign.Length == 0, $"{context}: the store holds rows of neither state: {string.Join(", ", foreign)}.\n{states}");
        Assert.True(
            touched.Length == 0 || missingNew.Length == 0,
            $"{context}: the store lost {string.Join(", ", touched)} without holding {string.Join(", ", missingNew)}.\n{states}");
        Assert.InRange(state.LastSequence, returnedState.LastSequence, nextState.LastSequence);
        // Each item shows as one of the two states has it, and an item both states have is not missing.
        string[] invented = actualView.Except(expectedView.Concat(withNextView), StringComparer.Ordinal).ToArray();
        string[] missing = KeysOf(expectedView).Intersect(KeysOf(withNextView), StringComparer.Ordinal).Except(KeysOf(actualView), StringComparer.Ordinal).ToArray();
        Assert.True(invented.Length == 0, $"{context}: the reopened client shows items of neither state: {string.Join(", ", invented)}.\n{states}");
        Assert.True(missing.Length == 0, $"{context}: the reopened client lost {string.Join(", ", missing)}.\n{states}");
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

    /// <summary>Every item the client shows, as "resource/key json", in view order.</summary>
    private static string[] View(TestSync client) =>
    [
        .. client.Todos.Items.Select(static t => $"todos/{Todo.GetKey(t)} {JsonSerializer.Serialize(t)}"),
        .. client.Categories.Items.Select(static c => $"categories/{Category.GetKey(c)} {JsonSerializer.Serialize(c)}"),
        .. client.Projects.Items.Select(static p => $"projects/{Project.GetKey(p)} {JsonSerializer.Serialize(p)}"),
        .. client.Attachments.Items.Select(static a => $"attachments/{Attachment.GetKey(a)} {JsonSerializer.Serialize(a)}"),
    ];

    /// <summary>The rows of a <see cref="Describe"/> by sequence (mappings by themselves).</summary>
    private static Dictionary<string, string> BySequence(string[] described) =>
        described.Skip(1).ToDictionary(static row => row.StartsWith("mapping ", StringComparison.Ordinal) ? row : row[..row.IndexOf(' ', StringComparison.Ordinal)], StringComparer.Ordinal);

    private static IEnumerable<string> KeysOf(string[] view) => view.Select(static item => item[..item.IndexOf(' ', StringComparison.Ordinal)]);

    private static void AssertSameItems(string[] expected, string[] actual, string context) =>
        Assert.True(
            expected.SequenceEqual(actual),
            $"{context}: the reopened items differ from the replay.\nexpected\n  {string.Join("\n  ", expected)}\nactual\n  {string.Join("\n  ", actual)}");
}
