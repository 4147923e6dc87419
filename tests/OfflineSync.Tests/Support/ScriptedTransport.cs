using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace OfflineSync.Tests.Support;

/// <summary>
/// An in-memory <see cref="ISyncTransport"/> for engine tests. It records every batch, answers like the
/// reference server by default (replaces optimistic keys with server keys, keeps other proposed keys,
/// resolves optimistic references created earlier in the same batch, bumps versions), and follows a
/// script: one-shot rules for single mutations, thrown exceptions, a hook that runs inside a push.
/// </summary>
/// <remarks>
/// With <see cref="CheckReferences"/> on, it also records S5/S3 violations: an optimistic key sent before
/// its create, or a key the server already mapped sent again.
/// </remarks>
public sealed class ScriptedTransport : ISyncTransport
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<OutgoingMutation>> _batches = [];
    private readonly List<Func<OutgoingMutation, PushResult?>> _rules = [];
    private readonly Queue<Exception> _throws = new();
    private readonly Dictionary<string, string> _mapped = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Key), Row> _rows = [];
    private readonly Dictionary<string, Channel<ChangeEvent>> _feeds = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly List<OutgoingMutation> _applied = [];
    private readonly List<TaskCompletionSource> _batchWaiters = [];
    private long _nextServerId;
    private long _feedSequence;

    /// <summary>Gets or sets a rule consulted for every mutation after the one-shot rules; <see langword="null"/> answers like the server.</summary>
    public Func<OutgoingMutation, PushResult?>? Always { get; set; }

    /// <summary>Gets or sets a hook that runs inside every push before it is answered (block it to hold a batch in flight).</summary>
    public Func<IReadOnlyList<OutgoingMutation>, Task>? OnPush { get; set; }

    /// <summary>Gets or sets a key the server assigns instead of the sent one; <see langword="null"/> keeps the default rule.</summary>
    public Func<OutgoingMutation, string?>? AssignKey { get; set; }

    /// <summary>Gets or sets whether optimistic references are checked (S3, S5); turn off when payloads hold look-alike text.</summary>
    public bool CheckReferences { get; set; } = true;

    /// <summary>Gets every batch received, in order.</summary>
    public IReadOnlyList<IReadOnlyList<OutgoingMutation>> Batches
    {
        get
        {
            lock (_gate)
            {
                return _batches.ToArray();
            }
        }
    }

    /// <summary>Gets every mutation received, in order (retries included).</summary>
    public IReadOnlyList<OutgoingMutation> Sent => Batches.SelectMany(static b => b).ToArray();

    /// <summary>Gets every mutation the server applied, in order.</summary>
    public IReadOnlyList<OutgoingMutation> Applied
    {
        get
        {
            lock (_gate)
            {
                return _applied.ToArray();
            }
        }
    }

    /// <summary>Gets the S3/S5 violations seen (empty when the engine behaves).</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return _violations.ToArray();
            }
        }
    }

    /// <summary>Gets how many times <see cref="PushAsync"/> was called.</summary>
    public int PushCount
    {
        get
        {
            lock (_gate)
            {
                return _batches.Count;
            }
        }
    }

    /// <summary>Adds a one-shot rule: consulted for each mutation in order and consumed when it answers (returns non-null).</summary>
    public ScriptedTransport Then(Func<OutgoingMutation, PushResult?> rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return this;
    }

    /// <summary>Answers the next <paramref name="times"/> mutations that reach the server with a transient failure.</summary>
    public ScriptedTransport ThenTransient(int times = 1, TimeSpan? retryAfter = null, string error = "503 Service Unavailable")
    {
        for (int i = 0; i < times; i++)
        {
            Then(_ => new PushResult.Transient(error, retryAfter));
        }

        return this;
    }

    /// <summary>Makes the next push throw <paramref name="exception"/>.</summary>
    public ScriptedTransport ThenThrow(Exception exception)
    {
        lock (_gate)
        {
            _throws.Enqueue(exception);
        }

        return this;
    }

    /// <summary>Puts a row on the server, as if another client had created it.</summary>
    public void Seed(string resource, string key, string version, string json)
    {
        lock (_gate)
        {
            _rows[(resource, key)] = new Row(version, JsonNode.Parse(json)!.AsObject());
        }
    }

    /// <summary>Gets a row as the server stores it, or <see langword="null"/>.</summary>
    public JsonObject? RowOf(string resource, string key)
    {
        lock (_gate)
        {
            return _rows.TryGetValue((resource, key), out Row? row) ? (JsonObject)row.State.DeepClone() : null;
        }
    }

    /// <summary>Gets the version of a row, or <see langword="null"/>.</summary>
    public string? VersionOf(string resource, string key)
    {
        lock (_gate)
        {
            return _rows.TryGetValue((resource, key), out Row? row) ? row.Version : null;
        }
    }

    /// <summary>Sends a change-feed event to the followers of its resource.</summary>
    public void Publish(ChangeEvent change)
    {
        lock (_gate)
        {
            _feedSequence = Math.Max(_feedSequence, change.Sequence);
        }

        Feed(change.Resource).Writer.TryWrite(change);
    }

    /// <summary>Waits until at least <paramref name="count"/> batches were received.</summary>
    public async Task WaitForBatchesAsync(int count, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_gate)
            {
                if (_batches.Count >= count)
                {
                    return;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _batchWaiters.Add(waiter);
            }

            await waiter.Task.WaitAsync(cancel.Token);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
    {
        Exception? toThrow;
        lock (_gate)
        {
            _batches.Add(batch.ToArray());
            foreach (TaskCompletionSource waiter in _batchWaiters)
            {
                waiter.TrySetResult();
            }

            _batchWaiters.Clear();
            _throws.TryDequeue(out toThrow);
        }

        if (OnPush is { } hook)
        {
            await hook(batch);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (toThrow is not null)
        {
            throw toThrow;
        }

        lock (_gate)
        {
            var results = new List<PushResult>(batch.Count);
            var createdInBatch = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (OutgoingMutation mutation in batch)
            {
                PushResult result = Answer(mutation, createdInBatch);
                results.Add(result);
                if (result is not PushResult.Applied)
                {
                    break;
                }
            }

            return results;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Like the reference server, a row's origin key goes to the client that created it only (S3).</remarks>
    public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ListItem[] items = _rows
                .Where(r => r.Key.Resource == resource && (after is null || string.CompareOrdinal(r.Key.Key, after) > 0))
                .OrderBy(static r => r.Key.Key, StringComparer.Ordinal)
                .Take(limit + 1)
                .Select(r => r.Value.CreatedBy == clientId
                    ? new ListItem(r.Key.Key, r.Value.OriginOptimisticKey, r.Value.Version, JsonSerializer.SerializeToUtf8Bytes(r.Value.State)) { OriginClientId = clientId }
                    : new ListItem(r.Key.Key, null, r.Value.Version, JsonSerializer.SerializeToUtf8Bytes(r.Value.State)))
                .ToArray();
            bool more = items.Length > limit;
            return Task.FromResult(new ListPage(more ? items[..limit] : items, Interlocked.Read(ref _feedSequence), more));
        }
    }

    /// <inheritdoc/>
    /// <remarks>Sends the events <see cref="Publish"/> was given as they are: the test decides what each carries.</remarks>
    public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChannelReader<ChangeEvent> reader = Feed(resource).Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out ChangeEvent? change))
            {
                if (change.Sequence > afterSequence)
                {
                    yield return change;
                }
            }
        }
    }

    private Channel<ChangeEvent> Feed(string resource)
    {
        lock (_gate)
        {
            if (!_feeds.TryGetValue(resource, out Channel<ChangeEvent>? channel))
            {
                channel = Channel.CreateUnbounded<ChangeEvent>();
                _feeds.Add(resource, channel);
            }

            return channel;
        }
    }

    private PushResult Answer(OutgoingMutation mutation, Dictionary<string, string> createdInBatch)
    {
        if (CheckReferences)
        {
            CheckKeys(mutation, createdInBatch);
        }

        for (int i = 0; i < _rules.Count; i++)
        {
            if (_rules[i](mutation) is { } scripted)
            {
                _rules.RemoveAt(i);
                return Record(mutation, scripted);
            }
        }

        if (Always?.Invoke(mutation) is { } always)
        {
            return Record(mutation, always);
        }

        return Record(mutation, Apply(mutation, createdInBatch));
    }

    private PushResult Record(OutgoingMutation mutation, PushResult result)
    {
        if (result is PushResult.Applied)
        {
            _applied.Add(mutation);
        }

        return result;
    }

    private PushResult Apply(OutgoingMutation mutation, Dictionary<string, string> createdInBatch)
    {
        switch (mutation.Kind)
        {
            case MutationKind.Create:
            {
                // References resolve against the creates before this one, as on the server: a create cannot name its own
                // optimistic key, which means nothing until the create is applied.
                JsonObject state = Resolve(JsonNode.Parse(mutation.Payload.Span)!.AsObject(), createdInBatch);
                string key = AssignKey?.Invoke(mutation) ?? (LooksOptimistic(mutation.Key) ? NewServerKey(mutation.Key) : mutation.Key);
                if (key != mutation.Key)
                {
                    createdInBatch[mutation.Key] = key;
                    _mapped[mutation.Key] = key;
                }

                state["id"] = KeyNode(key);
                string version = NextVersion(null);
                state["version"] = version;
                _rows[(mutation.Resource, key)] = new Row(version, state) { OriginOptimisticKey = mutation.OptimisticKey, CreatedBy = mutation.ClientId };
                return new PushResult.Applied(key, version, JsonSerializer.SerializeToUtf8Bytes(state));
            }

            case MutationKind.Update:
            {
                string key = createdInBatch.GetValueOrDefault(mutation.Key, mutation.Key);
                _rows.TryGetValue((mutation.Resource, key), out Row? row);
                JsonObject state = row is null ? new JsonObject { ["id"] = KeyNode(key) } : (JsonObject)row.State.DeepClone();
                foreach ((string name, JsonNode? value) in Resolve(JsonNode.Parse(mutation.Payload.Span)!.AsObject(), createdInBatch))
                {
                    state[name] = value?.DeepClone();
                }

                string version = NextVersion(row?.Version);
                state["version"] = version;
                _rows[(mutation.Resource, key)] = new Row(version, state) { OriginOptimisticKey = row?.OriginOptimisticKey, CreatedBy = row?.CreatedBy };
                return new PushResult.Applied(key, version, JsonSerializer.SerializeToUtf8Bytes(state));
            }

            default:
            {
                string key = createdInBatch.GetValueOrDefault(mutation.Key, mutation.Key);
                _rows.Remove((mutation.Resource, key));
                return new PushResult.Applied(key, null, ReadOnlyMemory<byte>.Empty);
            }
        }
    }

    private void CheckKeys(OutgoingMutation mutation, Dictionary<string, string> createdInBatch)
    {
        void Check(string value, string where)
        {
            if (_mapped.TryGetValue(value, out string? server) && !createdInBatch.ContainsKey(value))
            {
                _violations.Add($"{mutation.IdempotencyKey}: {where} holds {value}, which the server mapped to {server} in an earlier batch (S3)");
            }
            else if (value.StartsWith(OptimisticKeys.StringPrefix, StringComparison.Ordinal) && !createdInBatch.ContainsKey(value)
                && !(mutation.Kind == MutationKind.Create && where == "key"))
            {
                _violations.Add($"{mutation.IdempotencyKey}: {where} holds {value} before its create (S5)");
            }
        }

        Check(mutation.Key, "key");
        if (!mutation.Payload.IsEmpty)
        {
            foreach (string value in Strings(JsonNode.Parse(mutation.Payload.Span)))
            {
                if (!(mutation.Kind == MutationKind.Create && value == mutation.Key))
                {
                    Check(value, "payload");
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    foreach (string value in Strings(property.Value))
                    {
                        yield return value;
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    foreach (string value in Strings(item))
                    {
                        yield return value;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue(out string? text):
                yield return text;
                break;
        }
    }

    /// <summary>Like the reference server, resolves references to keys created earlier in the same batch.</summary>
    private static JsonObject Resolve(JsonObject state, Dictionary<string, string> createdInBatch)
    {
        if (createdInBatch.Count == 0)
        {
            return state;
        }

        // A key travels as a JSON string or, for long and int keys, a JSON number; the server key keeps the form.
        JsonNode? Resolved(JsonNode? node)
        {
            if (node is not JsonValue value)
            {
                return null;
            }

            if (value.TryGetValue(out string? text))
            {
                return createdInBatch.TryGetValue(text, out string? server) ? JsonValue.Create(server) : null;
            }

            return value.TryGetValue(out long number) && createdInBatch.TryGetValue(number.ToString(CultureInfo.InvariantCulture), out string? numeric)
                ? KeyNode(numeric)
                : null;
        }

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (string name in obj.Select(static p => p.Key).ToArray())
                    {
                        if (Resolved(obj[name]) is { } server)
                        {
                            obj[name] = server;
                        }
                        else
                        {
                            Walk(obj[name]);
                        }
                    }

                    break;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        if (Resolved(array[i]) is { } server)
                        {
                            array[i] = server;
                        }
                        else
                        {
                            Walk(array[i]);
                        }
                    }

                    break;
            }
        }

        Walk(state);
        return state;
    }

    private static bool LooksOptimistic(string key) =>
        key.StartsWith(OptimisticKeys.StringPrefix, StringComparison.Ordinal) || (key.Length > 1 && key[0] == '-');

    private static JsonNode KeyNode(string key) =>
        long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) ? JsonValue.Create(number) : JsonValue.Create(key);

    private static string NextVersion(string? previous) =>
        previous is null ? "v1" : "v" + (int.Parse(previous.AsSpan(1), CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private string NewServerKey(string optimisticKey)
    {
        long id = ++_nextServerId;
        return optimisticKey[0] == '-' ? (1000 + id).ToString(CultureInfo.InvariantCulture) : "srv-" + id.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record Row(string Version, JsonObject State)
    {
        public string? OriginOptimisticKey { get; init; }

        public string? CreatedBy { get; init; }
    }
}
