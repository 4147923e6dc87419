using System.Text.Json;
using OfflineSync;
using TodoApp.Model;

namespace TodoApp.Client;

/// <summary>Compares the clients' views with the server's rows, resource by resource, in canonical JSON.</summary>
internal static class ConvergenceCheck
{
    public static async Task<bool> WaitForAgreementAsync(ServerState server, IReadOnlyList<DemoClient> clients, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Snapshot expected = await server.ReadAsync(cancellationToken);
            if (clients.All(client => Snapshot.Of(client.Sync).Equals(expected)) && NoOptimisticReferences(expected))
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task PrintAsync(TextWriter output, ServerState server, IReadOnlyList<DemoClient> clients, CancellationToken cancellationToken)
    {
        Print(output, "server", await server.ReadAsync(cancellationToken));
        foreach (DemoClient client in clients)
        {
            Print(output, client.Name, Snapshot.Of(client.Sync));
        }
    }

    private static bool NoOptimisticReferences(Snapshot snapshot) =>
        snapshot.Todos.All(static todo =>
            (todo.CategoryId is null || !OptimisticKeys.IsOptimistic(SyncKeyKind.String, todo.CategoryId))
            && todo.TagIds.All(static tag => !OptimisticKeys.IsOptimistic(SyncKeyKind.String, tag))
            && (todo.Assignee?.UserId is null || !OptimisticKeys.IsOptimistic(SyncKeyKind.String, todo.Assignee.UserId)));

    private static void Print(TextWriter output, string who, Snapshot snapshot)
    {
        output.WriteLine($"   {who}:");
        foreach (Category category in snapshot.Categories)
        {
            output.WriteLine($"     category {category.Id} \"{category.Name}\"");
        }

        foreach (Tag tag in snapshot.Tags)
        {
            output.WriteLine($"     tag      {tag.Id} \"{tag.Name}\"");
        }

        foreach (User user in snapshot.Users)
        {
            output.WriteLine($"     user     {user.Id} \"{user.Name}\"");
        }

        foreach (Todo todo in snapshot.Todos)
        {
            string category = todo.CategoryId is null ? "" : $" category={todo.CategoryId}";
            string tags = todo.TagIds.Count == 0 ? "" : $" tags=[{string.Join(", ", todo.TagIds)}]";
            string assignee = todo.Assignee?.UserId is null ? "" : $" assignee={todo.Assignee.UserId}";
            output.WriteLine($"     todo     {todo.Id} \"{todo.Title}\"{(todo.Completed ? " (done)" : "")}{category}{tags}{assignee}");
        }
    }
}

/// <summary>The four resources of the model, each sorted by key.</summary>
internal sealed record Snapshot(IReadOnlyList<Category> Categories, IReadOnlyList<Tag> Tags, IReadOnlyList<User> Users, IReadOnlyList<Todo> Todos)
{
    public static Snapshot Of(TodoSync sync) =>
        new(Sorted(sync.Categories.Items), Sorted(sync.Tags.Items), Sorted(sync.Users.Items), Sorted(sync.Todos.Items));

    public static IReadOnlyList<T> Sorted<T>(IEnumerable<T> items)
        where T : class, ISyncEntity<T> =>
        items.OrderBy(static item => T.GetKey(item), StringComparer.Ordinal).ToArray();

    public bool Equals(Snapshot? other) =>
        other is not null
        && Canonical(Categories) == Canonical(other.Categories)
        && Canonical(Tags) == Canonical(other.Tags)
        && Canonical(Users) == Canonical(other.Users)
        && Canonical(Todos) == Canonical(other.Todos);

    public override int GetHashCode() => Canonical(Todos).GetHashCode(StringComparison.Ordinal);

    private static string Canonical<T>(IReadOnlyList<T> items)
        where T : class, ISyncEntity<T> =>
        JsonSerializer.Serialize(items, SyncJson.GetTypeInfo<IReadOnlyList<T>>());
}
