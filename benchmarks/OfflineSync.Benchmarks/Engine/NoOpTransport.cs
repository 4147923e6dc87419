using System.Globalization;
using System.Runtime.CompilerServices;

namespace OfflineSync.Benchmarks.Engine;

/// <summary>
/// A server that costs nothing: applies every mutation at once (keeping the sent key, or assigning a
/// new one when asked, so mappings are made), answers with no row state, lists a fixed set of todos
/// and keeps every feed open without events. What is measured around it is the engine alone.
/// </summary>
internal sealed class NoOpTransport(IReadOnlyList<ListItem>? todos = null, bool assignServerKeys = false) : ISyncTransport
{
    private readonly IReadOnlyList<ListItem> _todos = todos ?? [];
    private long _nextServerKey;

    /// <inheritdoc/>
    public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
    {
        var results = new PushResult[batch.Count];
        for (int i = 0; i < results.Length; i++)
        {
            OutgoingMutation mutation = batch[i];
            string key = assignServerKeys && mutation.Kind == MutationKind.Create
                ? "srv-" + Interlocked.Increment(ref _nextServerKey).ToString(CultureInfo.InvariantCulture)
                : mutation.Key;
            results[i] = new PushResult.Applied(key, mutation.Kind == MutationKind.Delete ? null : "v2", ReadOnlyMemory<byte>.Empty);
        }

        return Task.FromResult<IReadOnlyList<PushResult>>(results);
    }

    /// <inheritdoc/>
    public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
    {
        if (resource != "todos")
        {
            return Task.FromResult(new ListPage([], 0, HasMore: false));
        }

        // Keys are "todo-000001"…: ordinal order is list order, and the next page starts after the key's number.
        int start = after is null ? 0 : int.Parse(after.AsSpan(5), CultureInfo.InvariantCulture);
        int count = Math.Min(limit, _todos.Count - start);
        var page = new ListItem[count];
        for (int i = 0; i < count; i++)
        {
            page[i] = _todos[start + i];
        }

        return Task.FromResult(new ListPage(page, 0, HasMore: start + count < _todos.Count));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    /// <summary>The server's todos, keyed <c>todo-000001</c>… so that list order is key order.</summary>
    public static ListItem[] ServerTodos(int count)
    {
        byte[] row = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Model.Fixtures.Todo("todo-0"), Model.Todo.JsonTypeInfo);
        var items = new ListItem[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = new ListItem(ServerKey(i), null, "v1", row);
        }

        return items;
    }

    public static string ServerKey(int index) => "todo-" + (index + 1).ToString("D6", CultureInfo.InvariantCulture);
}
