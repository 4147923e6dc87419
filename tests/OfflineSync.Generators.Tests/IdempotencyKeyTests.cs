using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>The generated idempotency-key builders (DESIGN §3, S11).</summary>
public sealed class IdempotencyKeyTests
{
    [Fact]
    public void CreateIdempotencyKey_WritesResourceKindKeyClientAndSequence()
    {
        Assert.Equal("todos:create:optimistic_1:client-a:42", Todo.CreateIdempotencyKey(MutationKind.Create, "optimistic_1", "client-a", 42));
        Assert.Equal("milestones:delete:-3:c:0", Milestone.CreateIdempotencyKey(MutationKind.Delete, "-3", "c", 0));
        Assert.Equal("categories:update:k:c:" + long.MaxValue, Category.CreateIdempotencyKey(MutationKind.Update, "k", "c", long.MaxValue));
    }

    [Fact]
    public void CreateIdempotencyKey_IsDeterministic_IdenticalOnEveryRetry()
    {
        Assert.Equal(
            Todo.CreateIdempotencyKey(MutationKind.Update, "t1", "client", 7),
            Todo.CreateIdempotencyKey(MutationKind.Update, "t1", "client", 7));
    }

    [Fact]
    public void CreateIdempotencyKey_DiffersAcrossResourcesKindsKeysClientsAndSequences()
    {
        string[] keys =
        [
            Todo.CreateIdempotencyKey(MutationKind.Update, "k", "c", 1),
            Category.CreateIdempotencyKey(MutationKind.Update, "k", "c", 1),
            Todo.CreateIdempotencyKey(MutationKind.Create, "k", "c", 1),
            Todo.CreateIdempotencyKey(MutationKind.Delete, "k", "c", 1),
            Todo.CreateIdempotencyKey(MutationKind.Update, "k2", "c", 1),
            Todo.CreateIdempotencyKey(MutationKind.Update, "k", "c2", 1),
            Todo.CreateIdempotencyKey(MutationKind.Update, "k", "c", 2),
            Todo.CreateIdempotencyKey(MutationKind.Update, "k", "c", 11),
        ];

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void CreateIdempotencyKey_ResendSuffix_ComesFromTheRuntime()
    {
        string original = Note.CreateIdempotencyKey(MutationKind.Create, "n", "c", 3);

        Assert.Equal("notes:create:n:c:3:r1", IdempotencyKeys.ForResend(original, 1));
    }

    [Fact]
    public void MutationRecords_CarryKindAndKey()
    {
        var todo = new Todo { Id = "t1" };

        Assert.Equal(MutationKind.Create, new CreateTodo(todo).Kind);
        Assert.Equal("t1", new CreateTodo(todo).Key);
        Assert.Equal(MutationKind.Update, new UpdateTodo("t1", new TodoPatch()).Kind);
        IMutation<Todo> delete = new DeleteTodo("t1");
        Assert.Equal((MutationKind.Delete, "t1"), (delete.Kind, delete.Key));
    }
}
