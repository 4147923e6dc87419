using System.Text.Json;

namespace OfflineSync.TestModel.Observation;

/// <summary>A reference slot's value: the resource it points into and the key it holds.</summary>
/// <param name="Resource">The referenced resource.</param>
/// <param name="Key">The key, in canonical text form.</param>
/// <param name="IsOptimistic">Whether the key looks optimistic for that resource (S2).</param>
public sealed record ItemReference(string Resource, string Key, bool IsOptimistic);

/// <summary>
/// One item of the test model, whatever its type: where it is, what it says and what it points at.
/// Tests compare clients and the server through these, so one description serves every key type.
/// </summary>
/// <param name="Resource">The resource name.</param>
/// <param name="Key">The key in canonical text form.</param>
/// <param name="Title">The title.</param>
/// <param name="Nonce">The value unique to the <c>Create</c> call that made the item.</param>
/// <param name="Stamp">The value unique to the last <c>Update</c> call that wrote it.</param>
/// <param name="References">Every reference slot's value, in visiting order.</param>
/// <param name="Json">The item as the entity's JSON contract writes it: equal JSON means equal items.</param>
public sealed record ItemDescription(
    string Resource,
    string Key,
    string Title,
    string Nonce,
    string Stamp,
    IReadOnlyList<ItemReference> References,
    string Json)
{
    /// <summary>Describes an entity of the model.</summary>
    public static ItemDescription Of<T>(T entity)
        where T : class, ISyncEntity<T>, IWorkspaceItem
    {
        var collector = new ReferenceCollector { Found = new List<ItemReference>() };
        T.VisitReferences(entity, ref collector);
        return new ItemDescription(
            T.ResourceName,
            T.GetKey(entity),
            entity.Title,
            entity.Nonce,
            entity.Stamp,
            collector.Found,
            JsonSerializer.Serialize(entity, T.JsonTypeInfo));
    }

    /// <summary>Describes a row's JSON as the server stores it.</summary>
    /// <exception cref="ArgumentException">The resource is not one of the model's.</exception>
    public static ItemDescription Of(string resource, ReadOnlySpan<byte> json) => resource switch
    {
        "boards" => Of(SyncJson.Deserialize<Board>(json)),
        "cards" => Of(SyncJson.Deserialize<Card>(json)),
        "sheets" => Of(SyncJson.Deserialize<Sheet>(json)),
        "stickers" => Of(SyncJson.Deserialize<Sticker>(json)),
        _ => throw new ArgumentException($"'{resource}' is not a resource of the test model.", nameof(resource)),
    };

    /// <summary>Whether <paramref name="key"/> looks like an optimistic key of <paramref name="resource"/> (a negative number, <c>optimistic_</c>…).</summary>
    public static bool IsOptimisticKey(string resource, string key) => resource switch
    {
        "boards" => Board.IsOptimisticKey(key),
        "cards" => Card.IsOptimisticKey(key),
        "sheets" => Sheet.IsOptimisticKey(key),
        "stickers" => Sticker.IsOptimisticKey(key),
        _ => throw new ArgumentException($"'{resource}' is not a resource of the test model.", nameof(resource)),
    };

    /// <summary>Every item of a client's local view, all resources.</summary>
    public static IEnumerable<ItemDescription> OfView(WorkspaceSync client) =>
        client.Boards.Items.Select(Of)
            .Concat(client.Cards.Items.Select(Of))
            .Concat(client.Sheets.Items.Select(Of))
            .Concat(client.Stickers.Items.Select(Of));

    private struct ReferenceCollector : IReferenceVisitor
    {
        public List<ItemReference> Found;

        public void Visit<TTarget, TKey>(ref TKey key)
            where TTarget : class, ISyncEntity<TTarget>
            where TKey : notnull
        {
            string text = SyncKeys.Format(key);
            Found.Add(new ItemReference(TTarget.ResourceName, text, TTarget.IsOptimisticKey(text)));
        }
    }
}
