using OfflineSync.Benchmarks.Model;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// A client whose view holds <c>count / 2</c> todos listed from the server, and the work of an offline
/// session: <c>count / 2</c> new todos and one update of each listed todo, interleaved.
/// </summary>
/// <remarks>
/// "Offline" here means that nothing is pushed while the session enqueues (<see cref="SyncOptions.AutoSync"/>
/// is off): the enqueue path is the same as offline, while the feeds stay connected, so that listing the
/// server's rows again on reconnection does not run inside the measured drain.
/// </remarks>
internal sealed class OfflineSession : IAsyncDisposable
{
    private readonly Todo[] _creates;
    private readonly string[] _updateKeys;
    private readonly TodoPatch[] _patches;

    public OfflineSession(ListItem[] serverTodos, int count, IMutationStore? store = null)
    {
        Client = new BenchSync(new SyncOptions
        {
            Transport = new NoOpTransport(serverTodos[..(count / 2)]),
            Store = store ?? new InMemoryMutationStore(),
            AutoSync = false,
            MaxQueueSize = count,
        });
        if (!SpinWait.SpinUntil(() => Client.Todos.Status == SyncSetStatus.Live && Client.Todos.Items.Count == count / 2, TimeSpan.FromMinutes(1)))
        {
            throw new InvalidOperationException($"The view did not list {count / 2} todos (it holds {Client.Todos.Items.Count}, {Client.Todos.Status}).");
        }

        _creates = new Todo[count / 2];
        _updateKeys = new string[count / 2];
        _patches = new TodoPatch[count / 2];
        for (int i = 0; i < count / 2; i++)
        {
            _creates[i] = Fixtures.Todo("");
            _updateKeys[i] = NoOpTransport.ServerKey(i);
            _patches[i] = new TodoPatch { Completed = true, Title = "Done offline" };
        }
    }

    public BenchSync Client { get; }

    /// <summary>Creates and updates, alternately; returns the number of mutations.</summary>
    public int Enqueue()
    {
        for (int i = 0; i < _creates.Length; i++)
        {
            Client.Todos.Create(_creates[i]);
            Client.Todos.Update(_updateKeys[i], _patches[i]);
        }

        return _creates.Length * 2;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
