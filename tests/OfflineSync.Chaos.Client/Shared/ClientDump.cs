namespace OfflineSync.Chaos;

/// <summary>An item of a client's view: its resource, key and JSON.</summary>
public sealed record DumpItem(string Resource, string Key, string Json);

/// <summary>What a client finds under the key one of its returned creates gave an item (S3).</summary>
/// <param name="Resource">The resource.</param>
/// <param name="CreatedKey">The key the create returned (optimistic, or a proposed Guid).</param>
/// <param name="Nonce">The nonce of that create.</param>
/// <param name="FoundNonce">The nonce of the item <c>TryGet(CreatedKey)</c> finds, if any.</param>
/// <param name="FoundKey">The key of that item.</param>
/// <param name="ResolvedKey">The server key the ID map resolves <paramref name="CreatedKey"/> to, if any.</param>
public sealed record DumpLookup(string Resource, string CreatedKey, string Nonce, string? FoundNonce, string? FoundKey, string? ResolvedKey);

/// <summary>A client's state for the final checks, written by the client process on request.</summary>
public sealed record ClientDump(string ClientId, int Pending, IReadOnlyList<string> PendingMutations, IReadOnlyList<DumpItem> Items, IReadOnlyList<DumpLookup> Lookups);
