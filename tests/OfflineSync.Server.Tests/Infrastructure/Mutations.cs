using System.Buffers;
using System.Text.Json;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>Builds the <see cref="OutgoingMutation"/>s an engine would send.</summary>
public sealed class Mutations
{
    private long _sequence;

    public Mutations(string clientId = TestServer.ClientId) => ClientId = clientId;

    public string ClientId { get; }

    public OutgoingMutation Create<T>(T entity)
        where T : class, ISyncEntity<T>
    {
        string key = T.GetKey(entity);
        return new OutgoingMutation(
            T.ResourceName,
            MutationKind.Create,
            key,
            T.IsOptimisticKey(key) ? key : null,
            JsonSerializer.SerializeToUtf8Bytes(entity, T.JsonTypeInfo),
            T.CreateIdempotencyKey(MutationKind.Create, key, ClientId, ++_sequence),
            null,
            ClientId);
    }

    public OutgoingMutation Update<T>(string key, ISyncPatch<T> patch, string? baseVersion = null)
        where T : class, ISyncEntity<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            patch.WriteTo(writer);
        }

        return new OutgoingMutation(
            T.ResourceName,
            MutationKind.Update,
            key,
            null,
            buffer.WrittenMemory.ToArray(),
            T.CreateIdempotencyKey(MutationKind.Update, key, ClientId, ++_sequence),
            baseVersion,
            ClientId);
    }

    public OutgoingMutation Delete<T>(string key, string? baseVersion = null)
        where T : class, ISyncEntity<T> =>
        new(T.ResourceName, MutationKind.Delete, key, null, ReadOnlyMemory<byte>.Empty, T.CreateIdempotencyKey(MutationKind.Delete, key, ClientId, ++_sequence), baseVersion, ClientId);
}

/// <summary>Assertion helpers for push results and JSON states.</summary>
public static class Results
{
    public static PushResult.Applied Applied(PushResult result) =>
        Assert.IsType<PushResult.Applied>(result, exactMatch: true);

    public static PushResult.Applied Single(IReadOnlyList<PushResult> results) => Applied(Assert.Single(results));

    public static T Read<T>(ReadOnlyMemory<byte> json)
        where T : class, ISyncEntity<T> => JsonSerializer.Deserialize(json.Span, T.JsonTypeInfo)!;

    public static async Task<List<ListItem>> ListAllAsync(ISyncTransport transport, string resource, string clientId = "client-a")
    {
        var items = new List<ListItem>();
        string? after = null;
        while (true)
        {
            ListPage page = await transport.ListAsync(resource, after, 100, clientId, CancellationToken.None);
            items.AddRange(page.Items);
            if (!page.HasMore)
            {
                return items;
            }

            after = page.Items[^1].Key;
        }
    }
}
