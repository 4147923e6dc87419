using OfflineSync.Tests.View.Model;
using static OfflineSync.Tests.View.ViewFixtures;

namespace OfflineSync.Tests.View;

/// <summary>
/// A server, a feed and the engine's side of the view contract in one deterministic model, so
/// random interleavings of local changes, pushes, lost answers, feed deliveries, reconnects and
/// other clients' changes can be played against a <see cref="LocalView{TEntity}"/>. After every
/// step it checks the view's invariants (S16–S18); <see cref="DrainAndCatchUp"/> then checks that the
/// view converges on the server's state (S15, S19, F4).
/// </summary>
internal sealed class ViewSimulation
{
    private readonly SortedDictionary<string, (string Title, long Version, string? Origin)> _server = new(StringComparer.Ordinal);
    private readonly List<ChangeEvent> _log = new();
    private readonly List<Queued> _queue = new();
    private readonly Dictionary<string, string> _mappings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _originOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletedByClient = new(StringComparer.Ordinal);
    private readonly List<string> _trace = new();
    private int _delivered;
    private bool _refetchRequested;
    private long _sequence;
    private int _keys;

    public ViewSimulation()
    {
        // The engine's half of S3: a mapping the feed confirmed is recorded and applied to every view.
        View.MappingLearned += mapping =>
        {
            _mappings[mapping.OptimisticKey] = mapping.ServerKey;
            View.ApplyMapping(mapping);
        };

        // The follower's half of S19: a refetch the view asks for happens before the next step.
        View.RefetchRequested += () => _refetchRequested = true;
    }

    public LocalView<ViewTodo> View { get; } = new(ClientId);

    public string Trace => string.Join(Environment.NewLine, _trace);

    public void Step(int operation, int argument)
    {
        switch (operation)
        {
            case 0: LocalCreate(argument); break;
            case 1: LocalUpdate(argument); break;
            case 2: LocalDelete(argument); break;
            case 3: PushHead(answerLost: false); break;
            case 4: PushHead(answerLost: true); break;
            case 5: Deliver(1 + (argument % 3)); break;
            case 6: Reconnect(); break;
            case 7: OtherCreate(); break;
            case 8: OtherUpdate(argument); break;
            default: OtherDelete(argument); break;
        }

        if (_refetchRequested)
        {
            _refetchRequested = false;
            Reconnect();
        }

        CheckInvariants();
    }

    /// <summary>Pushes everything, lets the feed catch up, and compares the view with the server.</summary>
    public void DrainAndCatchUp()
    {
        while (_queue.Count > 0)
        {
            Step(3, 0);
        }

        Deliver(int.MaxValue);
        CheckInvariants();
        Assert.Equal(0, View.PendingCount);
        string[] expected = _server.Select(row => $"{row.Key}={row.Value.Title}@{row.Value.Version}").ToArray();
        string[] actual = View.Items.Select(item => $"{item.Id}={item.Title}@{item.Version}").ToArray();
        Assert.True(expected.SequenceEqual(actual), $"The view differs from the server.\nserver: {string.Join(", ", expected)}\nview:   {string.Join(", ", actual)}\n{Trace}");
    }

    private void LocalCreate(int argument)
    {
        string key = $"optimistic_{++_keys:D4}";
        var queued = new Queued(++_sequence, MutationKind.Create, key, $"new {argument % 100}");
        _queue.Add(queued);
        _trace.Add($"create {key} #{queued.Sequence}");
        View.AddCreate(queued.Sequence, Todo(key, queued.Title!));
    }

    private void LocalUpdate(int argument)
    {
        if (Pick(View.Items, argument) is not ViewTodo item)
        {
            return;
        }

        var queued = new Queued(++_sequence, MutationKind.Update, item.Id, $"edit {argument % 100}");
        _queue.Add(queued);
        _trace.Add($"update {item.Id} #{queued.Sequence} '{queued.Title}'");
        View.AddUpdate(queued.Sequence, item.Id, Title(queued.Title!));
    }

    private void LocalDelete(int argument)
    {
        if (Pick(View.Items, argument) is not ViewTodo item)
        {
            return;
        }

        string key = item.Id;
        _deletedByClient.Add(key);
        _trace.Add($"delete {key}");

        // S6: the object's unsent updates go; a never-sent create goes with them and nothing is sent.
        Queued? unsentCreate = _queue.FirstOrDefault(q => q.Kind == MutationKind.Create && Resolve(q.Key) == key && !q.Applied);
        foreach (Queued dropped in _queue.Where(q => Resolve(q.Key) == key && !q.Applied && (q.Kind == MutationKind.Update || q == unsentCreate)).ToArray())
        {
            _queue.Remove(dropped);
            View.Discard(dropped.Sequence);
        }

        if (unsentCreate is null)
        {
            var queued = new Queued(++_sequence, MutationKind.Delete, key, null);
            _queue.Add(queued);
            View.AddDelete(queued.Sequence, key);
        }
    }

    private void PushHead(bool answerLost)
    {
        if (_queue.Count == 0)
        {
            return;
        }

        Queued head = _queue[0];
        if (!head.Applied)
        {
            head.Answer = Apply(head);
            head.Applied = true;
        }

        if (answerLost)
        {
            _trace.Add($"push #{head.Sequence}, answer lost");
            return;
        }

        _trace.Add($"push #{head.Sequence}, answered");
        _queue.RemoveAt(0);
        head.Answer!();
    }

    /// <summary>Applies a mutation at the server and returns what delivering its answer does on the client.</summary>
    private Action Apply(Queued mutation)
    {
        string key = Resolve(mutation.Key);
        switch (mutation.Kind)
        {
            case MutationKind.Create:
                string serverKey = $"s{++_keys:D4}";
                _server[serverKey] = (mutation.Title!, 1, mutation.Key);
                _originOf[serverKey] = mutation.Key;
                Log(ChangeKind.Added, serverKey);
                ReadOnlyMemory<byte> created = Json(Todo(serverKey, mutation.Title!, "1"));
                return () =>
                {
                    _mappings[mutation.Key] = serverKey;
                    View.Confirm(mutation.Sequence, serverKey, "1", created);
                    View.ApplyMapping(new IdMapping(ViewTodo.ResourceName, mutation.Key, serverKey));
                };
            case MutationKind.Update when _server.TryGetValue(key, out var row):
                _server[key] = (mutation.Title!, row.Version + 1, row.Origin);
                Log(ChangeKind.Changed, key);
                string version = (row.Version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ReadOnlyMemory<byte> updated = Json(Todo(key, mutation.Title!, version));
                return () => View.Confirm(mutation.Sequence, key, version, updated);
            case MutationKind.Update:
                // The row is gone: the server refuses the update and the engine discards it.
                return () => View.Discard(mutation.Sequence);
            default:
                if (_server.Remove(key))
                {
                    Log(ChangeKind.Removed, key);
                }

                return () => View.Confirm(mutation.Sequence, key, null, default);
        }
    }

    private void Deliver(int count)
    {
        for (int i = 0; i < count && _delivered < _log.Count; i++)
        {
            ChangeEvent change = _log[_delivered++];
            _trace.Add($"feed {change.Kind} {change.Key} v{change.Version}");
            View.ApplyEvent(change);
        }
    }

    private void Reconnect()
    {
        _trace.Add("reconnect: relist");
        View.ReplaceServerRows(_server.Select(row => Listed(Todo(row.Key, row.Value.Title, V(row.Value.Version)), row.Value.Origin)).ToArray());
        _delivered = _log.Count;
    }

    private void OtherCreate()
    {
        string key = $"s{++_keys:D4}";
        _server[key] = ($"other {key}", 1, null);
        _trace.Add($"other client creates {key}");
        Log(ChangeKind.Added, key);
    }

    private void OtherUpdate(int argument)
    {
        if (Pick(_server.Keys.ToArray(), argument) is not string key)
        {
            return;
        }

        var row = _server[key];
        _server[key] = ($"other edit {argument % 100}", row.Version + 1, row.Origin);
        _trace.Add($"other client edits {key}");
        Log(ChangeKind.Changed, key);
    }

    private void OtherDelete(int argument)
    {
        if (Pick(_server.Keys.ToArray(), argument) is not string key)
        {
            return;
        }

        _server.Remove(key);
        _trace.Add($"other client deletes {key}");
        Log(ChangeKind.Removed, key);
    }

    private void Log(ChangeKind kind, string key)
    {
        long sequence = _log.Count + 1;
        if (kind == ChangeKind.Removed)
        {
            string? origin = _originOf.GetValueOrDefault(key);
            _log.Add(new ChangeEvent(ViewTodo.ResourceName, kind, sequence, key, origin, null, default) { OriginClientId = origin is null ? null : ClientId });
            return;
        }

        var row = _server[key];

        // A changed event carries only what changed; added carries the whole row.
        ReadOnlyMemory<byte> data = kind == ChangeKind.Changed
            ? Json($$"""{"title":"{{row.Title}}"}""")
            : Json(Todo(key, row.Title, V(row.Version)));
        _log.Add(new ChangeEvent(ViewTodo.ResourceName, kind, sequence, key, row.Origin, V(row.Version), data) { OriginClientId = row.Origin is null ? null : ClientId });
    }

    private void CheckInvariants()
    {
        IReadOnlyList<ViewTodo> items = View.Items;
        string[] keys = items.Keys();

        // S18: no key twice, and never an optimistic item beside the server row it became.
        Assert.True(keys.Distinct().Count() == keys.Length, $"A key is shown twice: {string.Join(", ", keys)}\n{Trace}");
        foreach (string key in keys)
        {
            if (_originOf.TryGetValue(key, out string? origin) && keys.Contains(origin))
            {
                Assert.Fail($"{origin} and its server row {key} are both shown.\n{Trace}");
            }
        }

        // S16: nothing this client deleted shows again.
        foreach (string key in keys)
        {
            Assert.False(_deletedByClient.Contains(key) || _deletedByClient.Contains(Resolve(key)), $"Deleted {key} is shown.\n{Trace}");
        }

        // S17: an item with pending updates shows the last one on top of whatever the server sent.
        foreach (ViewTodo item in items)
        {
            Queued? lastUpdate = _queue.LastOrDefault(q => q.Kind == MutationKind.Update && Resolve(q.Key) == Resolve(item.Id));
            if (lastUpdate is not null)
            {
                Assert.True(lastUpdate.Title == item.Title, $"{item.Id} shows '{item.Title}', not its pending '{lastUpdate.Title}'.\n{Trace}");
            }
        }
    }

    private string Resolve(string key) => _mappings.GetValueOrDefault(key, key);

    private static T? Pick<T>(IReadOnlyList<T> items, int argument)
        where T : class =>
        items.Count == 0 ? null : items[argument % items.Count];

    private static string V(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Queued(long sequence, MutationKind kind, string key, string? title)
    {
        public long Sequence { get; } = sequence;

        public MutationKind Kind { get; } = kind;

        public string Key { get; } = key;

        public string? Title { get; } = title;

        public bool Applied { get; set; }

        public Action? Answer { get; set; }
    }
}
