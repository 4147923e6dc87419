using System.Text;

namespace OfflineSync.Sqlite.Tests;

/// <summary>Builds stored mutations and compares them by value (payload bytes included).</summary>
internal static class Mutations
{
    public static readonly DateTimeOffset EnqueuedAt = new(2026, 11, 25, 10, 30, 15, TimeSpan.FromHours(2));

    public static StoredMutation Create(long sequence, string resource = "todos", string? key = null) => new()
    {
        Sequence = sequence,
        Resource = resource,
        Kind = MutationKind.Create,
        Key = key ?? $"optimistic_{sequence:D6}",
        Payload = Encoding.UTF8.GetBytes($$"""{"title":"item {{sequence}}"}"""),
        IdempotencyKey = $"{resource}:create:{key ?? $"optimistic_{sequence:D6}"}:client:{sequence}",
        EnqueuedAt = EnqueuedAt.AddTicks(sequence),
    };

    public static StoredMutation Update(long sequence, string key, string resource = "todos") => Create(sequence, resource, key) with
    {
        Kind = MutationKind.Update,
        Payload = Encoding.UTF8.GetBytes("""{"completed":true}"""),
        IdempotencyKey = $"{resource}:update:{key}:client:{sequence}",
        BaseVersion = "\"v3\"",
        AppIdempotencyKey = "button-42",
    };

    public static StoredMutation Delete(long sequence, string key, string resource = "todos") => Create(sequence, resource, key) with
    {
        Kind = MutationKind.Delete,
        Payload = ReadOnlyMemory<byte>.Empty,
        IdempotencyKey = $"{resource}:delete:{key}:client:{sequence}",
    };

    public static void AssertSame(StoredMutation expected, StoredMutation actual)
    {
        // ReadOnlyMemory compares by reference: compare the bytes, then everything else by record equality.
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
        Assert.Equal(expected with { Payload = default }, actual with { Payload = default });
        Assert.Equal(expected.EnqueuedAt.UtcTicks, actual.EnqueuedAt.UtcTicks);
    }

    public static void AssertSame(IEnumerable<StoredMutation> expected, IReadOnlyList<StoredMutation> actual)
    {
        StoredMutation[] wanted = expected.ToArray();
        Assert.Equal(wanted.Select(m => m.Sequence), actual.Select(m => m.Sequence));
        for (int i = 0; i < wanted.Length; i++)
        {
            AssertSame(wanted[i], actual[i]);
        }
    }
}
