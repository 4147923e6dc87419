using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Visitors;

/// <summary>
/// The engine's <see cref="RemappingVisitor"/> over the generated <c>Todo.VisitReferences</c> (16 key
/// slots: 3 scalars, a 10-key list, a nested object with 3 more) against the generic JsonNode approach
/// on the same entity and the same mappings.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class VisitorBenchmarks
{
    private const string NoChange = "Nothing to remap";
    private const string ThreeKeys = "3 keys remapped";

    private IdMap _idMap = null!;
    private Dictionary<string, string> _flatMap = null!;
    private Todo _unmapped = null!;
    private Todo _mapped = null!;

    [GlobalSetup]
    public void Setup()
    {
        SyncModel model = new SyncModelBuilder().Add<Category>().Add<User>().Add<Project>().Add<Tag>().Add<Todo>().Build();
        _idMap = new IdMap(model.Resources);
        _flatMap = new Dictionary<string, string>(StringComparer.Ordinal);

        // A map as a session leaves it: 100 confirmed creates per resource, real optimistic keys.
        for (int i = 0; i < 100; i++)
        {
            string server = (1000 + i).ToString(CultureInfo.InvariantCulture);
            Map<Category>(OptimisticKeys.NewString(TimeProvider.System), "cat-" + server);
            Map<User>(OptimisticKeys.NewString(TimeProvider.System), "user-" + server);
            Map<Project>(OptimisticKeys.NewString(TimeProvider.System), "project-" + server);
            Map<Tag>(OptimisticKeys.NewString(TimeProvider.System), "tag-" + server);
            Map<Todo>(OptimisticKeys.NewString(TimeProvider.System), "todo-" + server);
        }

        // The 3 keys of the remapping visit are also mapped back (server → optimistic), so every
        // invocation writes its 3 slots again instead of finding them remapped by the previous one.
        string category = OptimisticKeys.NewString(TimeProvider.System);
        string user = OptimisticKeys.NewString(TimeProvider.System);
        string tag = OptimisticKeys.NewString(TimeProvider.System);
        MapBothWays<Category>(category, "cat-900");
        MapBothWays<User>(user, "user-900");
        MapBothWays<Tag>(tag, "tag-900");

        _unmapped = Fixtures.Todo("todo-1");
        _mapped = Fixtures.Todo("todo-2", categoryId: category, userId: user, firstTag: tag);
    }

    [Benchmark(Baseline = true, Description = "JsonNode: serialize, replace strings, read back")]
    [BenchmarkCategory(NoChange)]
    public Todo JsonNodeNoChange() => JsonNodeRemapper.Remap(_unmapped, _flatMap);

    [Benchmark(Description = "Generated visitor (RemappingVisitor)")]
    [BenchmarkCategory(NoChange)]
    public bool VisitorNoChange()
    {
        var visitor = new RemappingVisitor(_idMap);
        Todo.VisitReferences(_unmapped, ref visitor);
        return visitor.Changed;
    }

    [Benchmark(Baseline = true, Description = "JsonNode: serialize, replace strings, read back")]
    [BenchmarkCategory(ThreeKeys)]
    public Todo JsonNodeThreeKeys() => JsonNodeRemapper.Remap(_mapped, _flatMap);

    [Benchmark(Description = "Generated visitor (RemappingVisitor)")]
    [BenchmarkCategory(ThreeKeys)]
    public bool VisitorThreeKeys()
    {
        var visitor = new RemappingVisitor(_idMap);
        Todo.VisitReferences(_mapped, ref visitor);
        return visitor.Changed;
    }

    private void Map<TEntity>(string optimistic, string server)
        where TEntity : class, ISyncEntity<TEntity>
    {
        _idMap.Add(EntityTypeId<TEntity>.Value, optimistic, server);
        _flatMap[optimistic] = server;
    }

    private void MapBothWays<TEntity>(string optimistic, string server)
        where TEntity : class, ISyncEntity<TEntity>
    {
        Map<TEntity>(optimistic, server);
        Map<TEntity>(server, optimistic);
    }
}
