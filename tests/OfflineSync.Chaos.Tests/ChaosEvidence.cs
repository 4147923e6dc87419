using OfflineSync.TestModel.Observation;

namespace OfflineSync.Chaos.Tests;

/// <summary>Everything a run leaves for the checks: what each client says it did and holds, and what the server holds and did.</summary>
/// <param name="Strategy">The conflict strategy every client ran with.</param>
/// <param name="Journals">Each client's journal, in order.</param>
/// <param name="Dumps">Each client's final state, after the drain.</param>
/// <param name="Server">The server's live rows at the end.</param>
/// <param name="History">Every state a row of the server held during the run (after the sentinel), all resources, in commit order (<see cref="ServerHistory"/>).</param>
internal sealed record ChaosEvidence(
    ConflictStrategy Strategy,
    IReadOnlyDictionary<string, List<JournalEntry>> Journals,
    IReadOnlyDictionary<string, ClientDump> Dumps,
    ServerSnapshot Server,
    IReadOnlyList<ObservedEvent> History);
