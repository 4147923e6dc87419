namespace OfflineSync.Server.Resources;

/// <summary>
/// Walks the reference slots of an entity or patch through the generated visitor: rewrites keys of
/// rows created earlier in the same batch by the same client (optimistic keys, and proposed keys the
/// server replaced because they were taken), and records the first optimistic key it cannot resolve,
/// which the server then refuses (it never stores an optimistic key).
/// </summary>
internal struct ReferenceGuard : IReferenceVisitor
{
    private readonly BatchScope? _scope;
    private readonly string? _clientId;

    public ReferenceGuard(BatchScope? scope, string? clientId)
    {
        _scope = scope;
        _clientId = clientId;
    }

    public string? OffendingKey { get; private set; }

    public string? OffendingResource { get; private set; }

    public void Visit<TTarget, TKey>(ref TKey key)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
    {
        if (key is null)
        {
            return;
        }

        string text = SyncKeys.Format(key);
        if (_scope is not null && _scope.TryResolve(TTarget.ResourceName, _clientId, text, out string serverKey))
        {
            // A proposed key that was taken means this client's new row, not the row that holds it.
            key = SyncKeys.Parse<TKey>(serverKey);
            return;
        }

        if (!TTarget.IsOptimisticKey(text))
        {
            return;
        }

        if (OffendingKey is null)
        {
            OffendingKey = text;
            OffendingResource = TTarget.ResourceName;
        }
    }
}
