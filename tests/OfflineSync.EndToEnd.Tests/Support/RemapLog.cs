using OfflineSync.TestModel;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>Records every <see cref="SyncClient.IdRemapped"/> of a client, across restarts (attach each incarnation).</summary>
internal sealed class RemapLog
{
    private readonly List<IdRemappedEventArgs> _events = new();

    public IReadOnlyList<IdRemappedEventArgs> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public WorkspaceSync Attach(WorkspaceSync client)
    {
        client.IdRemapped += (_, e) =>
        {
            lock (_events)
            {
                _events.Add(e);
            }
        };
        return client;
    }

    public string Describe()
    {
        IReadOnlyList<IdRemappedEventArgs> events = Events;
        string shown = string.Join(", ", events.Take(8).Select(static e => $"{e.Resource} {e.OptimisticKey} -> {e.ServerKey}"));
        return events.Count > 8 ? $"{shown}, … ({events.Count} in all)" : shown;
    }
}
