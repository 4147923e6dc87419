using System.Globalization;
using BenchmarkDotNet.Attributes;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// What a push costs for one queued create whose category was confirmed under a new server key: its stored
/// payload, the representative todo (16 key slots) referencing the category by its optimistic key, turned
/// into the bytes the request carries. The ID map holds 100 real mappings per resource besides. The queue is a
/// real client's: the category's create was queued and has left the queue, confirmed as <c>srv-1</c>.
/// </summary>
[MemoryDiagnoser]
public class RemapForPushBenchmarks
{
    private BenchSync _client = null!;
    private IdMap _idMap = null!;
    private MutationQueue _queue = null!;
    private QueuedMutation _todo = null!;
    private byte[] _body = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = new BenchSync(new SyncOptions { Transport = new NoOpTransport(), AutoSync = false, NetworkMonitor = new Store.OfflineMonitor() });
        SyncEngine engine = _client.SyncEngine;
        _idMap = engine.IdMap;
        _queue = engine.Queue;
        Category category = _client.Categories.Create(new Category { Name = "Work" });
        _client.Todos.Create(Fixtures.Todo("", categoryId: category.Id));
        lock (engine.Gate)
        {
            for (int i = 0; i < 100; i++)
            {
                string server = (1000 + i).ToString(CultureInfo.InvariantCulture);
                _idMap.Add(EntityTypeId<Category>.Value, OptimisticKeys.NewString(TimeProvider.System), "cat-" + server);
                _idMap.Add(EntityTypeId<User>.Value, OptimisticKeys.NewString(TimeProvider.System), "user-" + server);
                _idMap.Add(EntityTypeId<Tag>.Value, OptimisticKeys.NewString(TimeProvider.System), "tag-" + server);
            }

            QueuedMutation create = _queue.Head!;
            _todo = create.Next!;
            _queue.Remove(create);
            _idMap.Add(create.Resource.TypeId, create.Key, "srv-1");
        }

        if (_todo.Slots is not { Length: 1 })
        {
            throw new InvalidOperationException("The todo's payload should hold one key of a queued create.");
        }

        _body = new byte[PayloadSlots.SettledLength(_todo.Payload.Span, _todo.Slots, _idMap)];
    }

    [GlobalCleanup]
    public void Cleanup() => _client.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Parse, visit, write (the typed path)")]
    public ReadOnlyMemory<byte> Typed() => _todo.Resource.RemapTyped(MutationKind.Create, _todo.Payload, _idMap, _queue);

    [Benchmark(Description = "Write the server key at its slot, into a new body")]
    public ReadOnlyMemory<byte> SlotsNewBody() => PayloadSlots.Settle(_todo.Payload, _todo.Slots!, _idMap, out _);

    [Benchmark(Description = "Write the server key at its slot, into the request's buffer")]
    public int SlotsIntoBuffer()
    {
        PayloadSlots.Write(_todo.Payload.Span, _todo.Slots!, _idMap, _body);
        return _body.Length;
    }
}
