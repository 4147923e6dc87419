using OfflineSync.TestModel;

namespace OfflineSync.EndToEnd.Tests.MultiClient;

/// <summary>
/// One entity of the test model per key type, with the reference to a parent of its own type:
/// lets a scenario run unchanged with <see langword="long"/>, <see langword="int"/>,
/// <see langword="string"/> and <see cref="Guid"/> keys.
/// </summary>
internal sealed class KeyedKind<T>
    where T : class, ISyncEntity<T>, IWorkspaceItem, new()
{
    public required Func<WorkspaceSync, SyncSet<T>> Set { get; init; }

    public required Action<T, string> SetParent { get; init; }

    public required Func<T, string?> GetParent { get; init; }

    /// <summary>Whether two clients' optimistic keys of this type can be equal (numeric keys count down from -1 in every client).</summary>
    public bool OptimisticKeysCollide => T.KeyKind is SyncKeyKind.Int64 or SyncKeyKind.Int32;

    public T New(string title, string nonce, string? parent = null)
    {
        var item = new T { Title = title, Nonce = nonce, Stamp = nonce };
        if (parent is not null)
        {
            SetParent(item, parent);
        }

        return item;
    }
}

internal static class KeyedKinds
{
    public static readonly KeyedKind<Board> Long = new()
    {
        Set = static c => c.Boards,
        SetParent = static (item, key) => item.ParentBoardId = SyncKeys.Parse<long>(key),
        GetParent = static item => item.ParentBoardId is { } key ? SyncKeys.Format(key) : null,
    };

    public static readonly KeyedKind<Card> Int = new()
    {
        Set = static c => c.Cards,
        SetParent = static (item, key) => item.ParentCardId = SyncKeys.Parse<int>(key),
        GetParent = static item => item.ParentCardId is { } key ? SyncKeys.Format(key) : null,
    };

    public static readonly KeyedKind<Sheet> String = new()
    {
        Set = static c => c.Sheets,
        SetParent = static (item, key) => item.ParentSheetId = key,
        GetParent = static item => item.ParentSheetId,
    };

    public static readonly KeyedKind<Sticker> Guid = new()
    {
        Set = static c => c.Stickers,
        SetParent = static (item, key) => item.ParentStickerId = SyncKeys.Parse<System.Guid>(key),
        GetParent = static item => item.ParentStickerId is { } key ? SyncKeys.Format(key) : null,
    };
}
