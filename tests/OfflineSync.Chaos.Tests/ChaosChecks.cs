using System.Text.Json;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.Chaos.Tests;

/// <summary>
/// The rules a chaos run must satisfy, checked on its <see cref="ChaosEvidence"/>. Items are found
/// by content: every create writes a unique <c>nonce</c>, every update a unique <c>stamp</c>, both
/// starting with the client's id. README.md states the rules; each violation names the rule.
/// </summary>
internal static class ChaosChecks
{
    /// <summary>The server's rows as <c>resource/key json</c> lines.</summary>
    public static HashSet<string> ServerItems(ServerSnapshot server) =>
        server.All.Select(static r => $"{r.Resource}/{r.Key} {r.Item!.Json}").ToHashSet(StringComparer.Ordinal);

    /// <summary>A client's view as <c>resource/key json</c> lines.</summary>
    public static HashSet<string> ViewItems(ClientDump dump) =>
        dump.Items.Select(static i => $"{i.Resource}/{i.Key} {ItemDescription.Of(i.Resource, System.Text.Encoding.UTF8.GetBytes(i.Json)).Json}").ToHashSet(StringComparer.Ordinal);

    public static List<string> Check(ChaosEvidence evidence)
    {
        var violations = new List<string>();
        var history = new History(evidence.History);
        var journals = new Journals(evidence.Journals);
        Dictionary<(string, string), ObservedRow> live = evidence.Server.All.ToDictionary(static r => (r.Resource, r.Key));

        CheckExactlyOnce(history, journals, live, violations);
        CheckReferences(history, journals, violations);
        CheckDeletes(evidence.Strategy, history, journals, live, violations);
        CheckUpdates(evidence.Strategy, history, journals, violations);
        CheckQueues(evidence, journals, violations);
        CheckViews(evidence, violations);
        CheckNoOptimisticKeys(evidence, violations);
        CheckMappings(history, journals, live, evidence.Dumps, violations);
        return violations;
    }

    /// <summary>R1: every returned create made exactly one row; no row was made twice or without a create.</summary>
    private static void CheckExactlyOnce(History history, Journals journals, Dictionary<(string, string), ObservedRow> live, List<string> violations)
    {
        foreach ((string nonce, List<ObservedRow> rows) in history.CreatedByNonce.Where(static c => c.Value.Count > 1))
        {
            violations.Add($"R1 exactly once: the create '{nonce}' made {rows.Count} rows: {string.Join(", ", rows.Select(static r => $"{r.Resource}/{r.Key}"))}.");
        }

        foreach ((string client, JournalEntry created, _) in journals.Returned("create"))
        {
            int made = history.CreatedByNonce.GetValueOrDefault(created.Nonce!)?.Count ?? 0;
            bool cancelled = journals.DeleteIntents.Contains(created.Nonce!);
            if (made == 0 && !cancelled)
            {
                violations.Add($"R1 exactly once: {client}'s create '{created.Nonce}' ({created.Resource} {created.Key}) returned but no row was made.");
            }
        }

        foreach (ObservedRow row in history.Created.Values)
        {
            if (!journals.CreateIntents.TryGetValue(row.Item!.Nonce, out JournalEntry? intent) || intent.Resource != row.Resource)
            {
                violations.Add($"R1 exactly once: {row.Resource}/{row.Key} (nonce '{row.Item.Nonce}') was made, but no client tried that create: {row.Item.Json}");
            }
        }

        foreach ((string resource, string key) in live.Keys.Where(k => !history.Created.ContainsKey(k)))
        {
            violations.Add($"R1 exactly once: {resource}/{key} is live but the change log never added it.");
        }
    }

    /// <summary>R2: a created row references the rows its create pointed at (by their server keys).</summary>
    private static void CheckReferences(History history, Journals journals, List<string> violations)
    {
        foreach ((string nonce, JournalEntry intent) in journals.CreateIntents)
        {
            if (history.CreatedByNonce.GetValueOrDefault(nonce) is not [ObservedRow row] || intent.References is null)
            {
                continue;
            }

            using JsonDocument data = JsonDocument.Parse(row.Item!.Json);
            foreach (JournalReference reference in intent.References)
            {
                if (history.CreatedByNonce.GetValueOrDefault(reference.Nonce) is not [ObservedRow target])
                {
                    violations.Add($"R2 references: '{nonce}' ({row.Resource}/{row.Key}) was created pointing at '{reference.Nonce}' in {reference.Slot}, which made {history.CreatedByNonce.GetValueOrDefault(reference.Nonce)?.Count ?? 0} rows.");
                    continue;
                }

                JsonElement slot = data.RootElement.GetProperty(reference.Slot);
                string stored = slot.ValueKind == JsonValueKind.Array ? string.Join(",", slot.EnumerateArray().Select(Text)) : Text(slot);
                if (stored != target.Key)
                {
                    violations.Add($"R2 references: '{nonce}' ({row.Resource}/{row.Key}) holds {reference.Slot} = {stored}, but the item it pointed at ('{reference.Nonce}') is {target.Resource}/{target.Key}.");
                }
            }
        }

        static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    /// <summary>
    /// R3: a removed row had a delete call; a returned delete leaves its row deleted. Under ServerWins the
    /// row may stay only if another client changed it (S10, S11: the delete met a newer version and was
    /// dropped); under ClientWins never (the delete is re-sent on the newer version).
    /// </summary>
    private static void CheckDeletes(ConflictStrategy strategy, History history, Journals journals, Dictionary<(string, string), ObservedRow> live, List<string> violations)
    {
        foreach ((string resource, string key) in history.Removed)
        {
            string nonce = history.Created.TryGetValue((resource, key), out ObservedRow? row) ? row.Item!.Nonce : "?";
            if (!journals.DeleteIntents.Contains(nonce))
            {
                violations.Add($"R3 deletes: {resource}/{key} (nonce '{nonce}') was removed, but no client deleted it.");
            }
        }

        foreach ((string client, JournalEntry deleted, _) in journals.Returned("delete"))
        {
            if (history.CreatedByNonce.GetValueOrDefault(deleted.Nonce!) is not [ObservedRow row] || !live.ContainsKey((row.Resource, row.Key)))
            {
                continue;
            }

            bool otherWriter = history.ChangedBy(row.Resource, row.Key).Any(c => Client(c) != client);
            if (strategy == ConflictStrategy.ClientWins || !otherWriter)
            {
                violations.Add($"R3 deletes: {client}'s delete of '{deleted.Nonce}' ({row.Resource}/{row.Key}) returned, but the row is live{(otherWriter ? "" : " and no other client changed it")} (ConflictStrategy.{strategy}).");
            }
        }
    }

    /// <summary>
    /// R4: a returned update reached its row (its stamp is in a row state of the change log) unless the
    /// same client later updated (S6 merges) or deleted (S6 drops) the item, or tried to (a call cut by a kill), the row was deleted (S11: gone),
    /// or, under ServerWins only, another client changed the row (S11: a conflict drops it).
    /// </summary>
    private static void CheckUpdates(ConflictStrategy strategy, History history, Journals journals, List<string> violations)
    {
        foreach ((string client, JournalEntry updated, int index) in journals.Returned("update"))
        {
            if (history.Stamps.Contains(updated.Stamp!) || journals.LaterWrite(client, updated.Nonce!, index))
            {
                continue;
            }

            if (history.CreatedByNonce.GetValueOrDefault(updated.Nonce!) is not [ObservedRow row])
            {
                violations.Add($"R4 updates: {client}'s update {updated.Stamp} of '{updated.Nonce}' returned, but that item made no row.");
                continue;
            }

            bool gone = history.Removed.Contains((row.Resource, row.Key));
            bool otherWriter = history.ChangedBy(row.Resource, row.Key).Any(c => Client(c) != client);
            if (!gone && !(strategy == ConflictStrategy.ServerWins && otherWriter))
            {
                violations.Add($"R4 updates: {client}'s update {updated.Stamp} of '{updated.Nonce}' ({row.Resource}/{row.Key}) returned but never reached the row (ConflictStrategy.{strategy}; other writers: {otherWriter}).");
            }
        }
    }

    /// <summary>R5: every queue drains; no mutation failed (the workload makes none that may fail: every failure is a defect).</summary>
    private static void CheckQueues(ChaosEvidence evidence, Journals journals, List<string> violations)
    {
        foreach ((string client, ClientDump dump) in evidence.Dumps.Where(static d => d.Value.Pending > 0))
        {
            violations.Add($"R5 queues: {client} still holds {dump.Pending} mutations after the drain: {string.Join("; ", dump.PendingMutations.Take(5))}");
        }

        foreach (IGrouping<string, (string Client, JournalEntry Entry)> failures in journals.Events("failed").GroupBy(static f => $"{f.Client}: {f.Entry.Kind}"))
        {
            (string _, JournalEntry first) = failures.First();
            violations.Add($"R5 queues: {failures.Key} x{failures.Count()}, e.g. {first.Resource}/{first.Key}: {first.Error}");
        }
    }

    /// <summary>R6: every client's view equals the server's rows, item by item.</summary>
    private static void CheckViews(ChaosEvidence evidence, List<string> violations)
    {
        HashSet<string> server = ServerItems(evidence.Server);
        foreach ((string client, ClientDump dump) in evidence.Dumps)
        {
            HashSet<string> view = ViewItems(dump);
            if (!view.SetEquals(server))
            {
                violations.Add($"R6 views: {client}'s view differs from the server: only on the server [{string.Join("; ", server.Except(view).Take(3))}] ({server.Except(view).Count()}), only in the view [{string.Join("; ", view.Except(server).Take(3))}] ({view.Except(server).Count()}).");
            }
        }
    }

    /// <summary>R7: no optimistic key is stored on the server, as a key or in any reference slot, now or ever during the run.</summary>
    private static void CheckNoOptimisticKeys(ChaosEvidence evidence, List<string> violations)
    {
        IEnumerable<ObservedRow> rows = evidence.Server.All.Concat(evidence.History.Where(static e => e.Row?.Item is not null).Select(static e => e.Row!));
        foreach (ObservedRow row in rows)
        {
            if (ItemDescription.IsOptimisticKey(row.Resource, row.Key))
            {
                violations.Add($"R7 optimistic keys: the server stores the key {row.Resource}/{row.Key}.");
            }

            foreach (ItemReference reference in row.Item!.References.Where(static r => r.IsOptimistic))
            {
                violations.Add($"R7 optimistic keys: {row.Resource}/{row.Key} stores the reference {reference.Resource}/{reference.Key}.");
            }
        }
    }

    /// <summary>
    /// R8: a client maps an optimistic key only to a row of its own create (S3): each <c>IdRemapped</c>
    /// it journaled, and each key its returned creates gave, resolves to the row that create made;
    /// <c>TryGet</c> of that key finds that item while the row lives (checked once the client's queue is empty:
    /// a pending delete hides the item before the server deletes the row).
    /// </summary>
    private static void CheckMappings(History history, Journals journals, Dictionary<(string, string), ObservedRow> live, IReadOnlyDictionary<string, ClientDump> dumps, List<string> violations)
    {
        foreach ((string client, JournalEntry remapped) in journals.Events("remapped"))
        {
            string? nonce = history.Created.TryGetValue((remapped.Resource!, remapped.ServerKey!), out ObservedRow? row) ? row.Item!.Nonce : null;
            string? own = journals.CreatedKey(client, remapped.Resource!, remapped.Key!);
            bool mine = own is not null ? nonce == own : nonce?.StartsWith(client + ".", StringComparison.Ordinal) == true;
            if (!mine)
            {
                violations.Add($"R8 mappings: {client} mapped {remapped.Resource} {remapped.Key} -> {remapped.ServerKey}, the row of '{nonce ?? "no create"}'{(own is null ? "" : $", not of its create '{own}'")}.");
            }
        }

        foreach ((string client, ClientDump dump) in dumps)
        {
            foreach (DumpLookup lookup in dump.Lookups)
            {
                ObservedRow? made = history.CreatedByNonce.GetValueOrDefault(lookup.Nonce) is [ObservedRow one] ? one : null;
                if (lookup.FoundNonce is not null && lookup.FoundNonce != lookup.Nonce)
                {
                    violations.Add($"R8 mappings: {client}'s TryGet({lookup.CreatedKey}) finds '{lookup.FoundNonce}' ({lookup.Resource}/{lookup.FoundKey}), not the item its create '{lookup.Nonce}' made.");
                }

                if (lookup.ResolvedKey is not null && (made is null || made.Key != lookup.ResolvedKey))
                {
                    violations.Add($"R8 mappings: {client}'s ID map resolves {lookup.Resource} {lookup.CreatedKey} to {lookup.ResolvedKey}, but its create '{lookup.Nonce}' made {(made is null ? "no row" : made.Key)}.");
                }

                if (lookup.FoundNonce is null && made is not null && live.ContainsKey((made.Resource, made.Key)) && dump.Pending == 0)
                {
                    violations.Add($"R8 mappings: {client}'s TryGet({lookup.CreatedKey}) finds nothing, but the row its create '{lookup.Nonce}' made, {made.Resource}/{made.Key}, is live (S3).");
                }
            }
        }
    }

    /// <summary>The client id a nonce or stamp starts with.</summary>
    private static string Client(string nonceOrStamp) => nonceOrStamp.Split('.')[0];

    /// <summary>The server's side: every row the run added, changed and removed, from the change log.</summary>
    private sealed class History
    {
        public History(IReadOnlyList<ObservedEvent> events)
        {
            foreach (ObservedEvent e in events)
            {
                if (e.Row is not { } row)
                {
                    continue;
                }

                (string, string) id = (row.Resource, row.Key);
                if (e.Kind is "added" or "existing")
                {
                    Created[id] = row;
                    (CreatedByNonce.TryGetValue(row.Item!.Nonce, out List<ObservedRow>? rows) ? rows : CreatedByNonce[row.Item.Nonce] = new()).Add(row);
                }

                if (e.Kind == "removed")
                {
                    Removed.Add(id);
                }

                if (row.Item is { } item)
                {
                    Stamps.Add(item.Stamp);
                    if (e.Kind == "changed")
                    {
                        (_changes.TryGetValue(id, out List<string>? stamps) ? stamps : _changes[id] = new()).Add(item.Stamp);
                    }
                }
            }
        }

        private readonly Dictionary<(string, string), List<string>> _changes = new();

        public Dictionary<(string Resource, string Key), ObservedRow> Created { get; } = new();

        public Dictionary<string, List<ObservedRow>> CreatedByNonce { get; } = new(StringComparer.Ordinal);

        public HashSet<(string Resource, string Key)> Removed { get; } = new();

        /// <summary>Every stamp a row state of the run held.</summary>
        public HashSet<string> Stamps { get; } = new(StringComparer.Ordinal);

        /// <summary>The stamps of a row's updates, in order.</summary>
        public IReadOnlyList<string> ChangedBy(string resource, string key) => _changes.GetValueOrDefault((resource, key)) ?? [];
    }

    /// <summary>The clients' side: what each tried and what returned, in journal order.</summary>
    private sealed class Journals
    {
        private readonly IReadOnlyDictionary<string, List<JournalEntry>> _journals;

        public Journals(IReadOnlyDictionary<string, List<JournalEntry>> journals)
        {
            _journals = journals;
            foreach (JournalEntry entry in journals.Values.SelectMany(static j => j))
            {
                if (entry.Op == "create?")
                {
                    CreateIntents[entry.Nonce!] = entry;
                }
                else if (entry.Op == "delete?")
                {
                    DeleteIntents.Add(entry.Nonce!);
                }
            }
        }

        public Dictionary<string, JournalEntry> CreateIntents { get; } = new(StringComparer.Ordinal);

        public HashSet<string> DeleteIntents { get; } = new(StringComparer.Ordinal);

        /// <summary>Every call of <paramref name="op"/> that returned, with its client and its position in the client's journal.</summary>
        public IEnumerable<(string Client, JournalEntry Entry, int Index)> Returned(string op) =>
            _journals.SelectMany(j => j.Value.Select((e, i) => (j.Key, e, i)).Where(x => x.e.Op == op));

        public IEnumerable<(string Client, JournalEntry Entry)> Events(string op) =>
            _journals.SelectMany(j => j.Value.Where(e => e.Op == op).Select(e => (j.Key, e)));

        /// <summary>
        /// Whether the client, after position <paramref name="index"/>, tried to update or delete the item again. A try is
        /// enough: a call cut by a kill may have stored its change before it could return (S4), and an update merges into
        /// the pending one (S6), whose earlier stamp then never reaches the row.
        /// </summary>
        public bool LaterWrite(string client, string nonce, int index) =>
            _journals[client].Skip(index + 1).Any(e => e.Nonce == nonce && e.Op is "update?" or "delete?");

        /// <summary>The nonce of the client's returned create that gave <paramref name="key"/> to an item of <paramref name="resource"/>.</summary>
        public string? CreatedKey(string client, string resource, string key) =>
            _journals[client].LastOrDefault(e => e.Op == "create" && e.Resource == resource && e.Key == key)?.Nonce;
    }
}
