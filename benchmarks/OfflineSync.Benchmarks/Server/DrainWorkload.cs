using TodoApp.Model;

namespace OfflineSync.Benchmarks.Server;

/// <summary>
/// The queue a client builds offline: half creates (todos, then categories), half updates that point
/// the todos at those categories, so every reference is an optimistic key when it is queued.
/// </summary>
internal static class DrainWorkload
{
    /// <summary>
    /// Queues exactly <paramref name="mutations"/> mutations (a multiple of 4, at least 8). Each todo is
    /// updated twice, each time to a category created after its last mutation: an update is merged into
    /// an earlier mutation of the same object only when everything it references was queued before that
    /// mutation (S6), so none of them is coalesced away and the server sees every one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue did not grow by <paramref name="mutations"/>.</exception>
    public static void Queue(TodoSync sync, int mutations, string label)
    {
        if (mutations < 8 || mutations % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mutations), mutations, "The workload needs a multiple of 4, at least 8.");
        }

        int before = sync.GetPending().Count;
        int todos = mutations / 4;
        int offset = todos / 2;
        var keys = new string[todos];
        for (int i = 0; i < todos; i++)
        {
            keys[i] = sync.Todos.Create(new Todo { Title = $"{label} todo {i}" }).Id;
        }

        for (int j = 0; j < todos; j++)
        {
            string category = sync.Categories.Create(new Category { Name = $"{label} category {j}" }).Id;
            sync.Todos.Update(keys[j], todo => todo.CategoryId = category);
            sync.Todos.Update(keys[(j + offset) % todos], todo => todo.CategoryId = category);
        }

        int queued = sync.GetPending().Count - before;
        if (queued != mutations)
        {
            throw new InvalidOperationException($"The workload queued {queued} mutations instead of {mutations}: updates were coalesced.");
        }
    }
}
