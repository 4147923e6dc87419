namespace OfflineSync.Server.Resources;

/// <summary>
/// The client keys (optimistic or proposed) of the rows created so far in one <c>POST /sync/batch</c>,
/// with the keys the server stored, so later mutations of the same client in that batch may reference
/// them; nothing outside the batch can.
/// </summary>
internal sealed class BatchScope
{
    private readonly Dictionary<(string Resource, string ClientId, string OptimisticKey), string> _created = new();

    public void Record(string resource, string? clientId, string optimisticKey, string serverKey) =>
        _created[(resource, clientId ?? "", optimisticKey)] = serverKey;

    public bool TryResolve(string resource, string? clientId, string optimisticKey, out string serverKey) =>
        _created.TryGetValue((resource, clientId ?? "", optimisticKey), out serverKey!);
}
