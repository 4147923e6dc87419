using System.Globalization;
using BenchmarkDotNet.Attributes;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// What a push costs for one queued create whose category was confirmed under a new server key: its stored
/// payload, the representative todo (16 key slots) referencing the category by its optimistic key, turned
/// into the bytes the request carries. The ID map holds 100 real mappings per resource besides.
/// </summary>
[MemoryDiagnoser]
public class RemapForPushBenchmarks
{
    private IdMap _idMap = null!;
    private ReadOnlyMemory<byte> _payload;

    [GlobalSetup]
    public void Setup()
    {
        SyncModel model = new SyncModelBuilder().Add<Category>().Add<User>().Add<Project>().Add<Tag>().Add<Todo>().Build();
        _idMap = new IdMap(model.Resources);
        for (int i = 0; i < 100; i++)
        {
            string server = (1000 + i).ToString(CultureInfo.InvariantCulture);
            _idMap.Add(EntityTypeId<Category>.Value, OptimisticKeys.NewString(TimeProvider.System), "cat-" + server);
            _idMap.Add(EntityTypeId<User>.Value, OptimisticKeys.NewString(TimeProvider.System), "user-" + server);
            _idMap.Add(EntityTypeId<Tag>.Value, OptimisticKeys.NewString(TimeProvider.System), "tag-" + server);
        }

        string category = OptimisticKeys.NewString(TimeProvider.System);
        _idMap.Add(EntityTypeId<Category>.Value, category, "srv-1");
        Todo todo = Fixtures.Todo(OptimisticKeys.NewString(TimeProvider.System), categoryId: category);
        _payload = ResourceModel<Todo>.SerializeEntity(todo);
    }

    [Benchmark(Description = "Remap one queued create for a push")]
    public ReadOnlyMemory<byte> RemapQueuedCreate() => ResourceModel<Todo>.RemapPayload(MutationKind.Create, _payload, _idMap);
}
