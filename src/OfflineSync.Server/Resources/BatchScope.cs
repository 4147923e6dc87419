namespace OfflineSync.Server.Resources;

/// <summary>
/// The client keys (optimistic or proposed) of the rows created so far in one <c>POST /sync/batch</c>,
/// with the keys the server stored, so later mutations of that batch may reference them; nothing outside
/// the batch can. A batch speaks for one client (<see cref="Endpoints.RequestIdentity"/>), so the keys are
/// that client's.
/// </summary>
internal sealed class BatchScope
{
    private readonly Dictionary<(string Resource, string ClientKey), string> _created = new();

    public void Record(string resource, string clientKey, string serverKey) => _created[(resource, clientKey)] = serverKey;

    public bool TryResolve(string resource, string clientKey, out string serverKey) => _created.TryGetValue((resource, clientKey), out serverKey!);
}
