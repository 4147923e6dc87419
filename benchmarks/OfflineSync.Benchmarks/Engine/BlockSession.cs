using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// The workload of issue 13, queued offline in memory: per block of four mutations, create a category;
/// create a todo referencing it (3 scalar references, 10 tag ids, a nested assignee with a user and 2
/// collaborators); update two listed server todos to point at that category. The client's view first
/// lists the <c>count / 2</c> server todos that the updates change.
/// </summary>
/// <remarks>
/// The transport confirms every create under a new server key (<c>srv-1</c>, <c>srv-2</c>, …) when
/// <c>assignServerKeys</c> is set, as the reference server does with optimistic keys; otherwise it keeps
/// the keys, so no mapping is made. "Offline" means that nothing is pushed while the session enqueues
/// (<see cref="SyncOptions.AutoSync"/> is off): the enqueue path is the same as offline, while the feeds stay
/// connected, so that listing the server's rows again on reconnection does not run inside the measured drain.
/// </remarks>
internal sealed class BlockSession : IAsyncDisposable
{
    private readonly Category[] _categories;
    private readonly Todo[] _todos;
    private readonly string[] _updateKeys;
    private readonly TodoPatch[] _patches;

    public BlockSession(ListItem[] serverTodos, int count, bool assignServerKeys)
    {
        if (count % 4 != 0 || count / 2 > serverTodos.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A multiple of 4, at most twice the server's todos.");
        }

        Client = new BenchSync(new SyncOptions
        {
            Transport = new NoOpTransport(serverTodos[..(count / 2)], assignServerKeys),
            Store = new InMemoryMutationStore(),
            AutoSync = false,
            MaxQueueSize = count,
        });
        if (!SpinWait.SpinUntil(() => Client.Todos.Status == SyncSetStatus.Live && Client.Todos.Items.Count == count / 2, TimeSpan.FromMinutes(1)))
        {
            throw new InvalidOperationException($"The view did not list {count / 2} todos (it holds {Client.Todos.Items.Count}, {Client.Todos.Status}).");
        }

        int blocks = count / 4;
        _categories = new Category[blocks];
        _todos = new Todo[blocks];
        _updateKeys = new string[blocks * 2];
        _patches = new TodoPatch[blocks * 2];
        for (int i = 0; i < blocks; i++)
        {
            _categories[i] = new Category { Name = "Work" };
            _todos[i] = Fixtures.Todo("");
        }

        for (int i = 0; i < _updateKeys.Length; i++)
        {
            _updateKeys[i] = NoOpTransport.ServerKey(i);
            _patches[i] = new TodoPatch();
        }
    }

    public BenchSync Client { get; }

    /// <summary>Queues the blocks; returns the number of mutations.</summary>
    public int Enqueue()
    {
        for (int i = 0; i < _categories.Length; i++)
        {
            string category = Client.Categories.Create(_categories[i]).Id;
            Todo todo = _todos[i];
            todo.CategoryId = category;
            Client.Todos.Create(todo);
            for (int j = 2 * i; j < (2 * i) + 2; j++)
            {
                TodoPatch patch = _patches[j];
                patch.CategoryId = category;
                Client.Todos.Update(_updateKeys[j], patch);
            }
        }

        return _categories.Length * 4;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
