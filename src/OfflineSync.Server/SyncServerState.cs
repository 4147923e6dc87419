using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OfflineSync.Server.Feed;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server;

/// <summary>The server's singletons: options, store (opened with the options' store factory), mutation processor, served resources and the feed notifier.</summary>
internal sealed class SyncServerState : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, SyncResource> _resources = new(StringComparer.Ordinal);

    public SyncServerState(IOptions<SyncServerOptions> options, ILoggerFactory? loggerFactory = null)
    {
        Options = options.Value;
        loggerFactory ??= NullLoggerFactory.Instance;
        Logger = loggerFactory.CreateLogger("OfflineSync.Server");
        Store = Options.OpenStore(loggerFactory);
        Processor = new MutationProcessor(Options);
        Store.Committed += _ => Notifier.Notify();
        ChangeReads = new ChangeReads(Store);
        Feeds = new FeedAdmission(Options);
    }

    public SyncServerOptions Options { get; }

    public ISyncStore Store { get; }

    public MutationProcessor Processor { get; }

    public ChangeNotifier Notifier { get; } = new();

    public ChangeReads ChangeReads { get; }

    /// <summary>Gets the open change feeds, admitted under the options' caps.</summary>
    public FeedAdmission Feeds { get; }

    public ILogger Logger { get; }

    /// <summary>Gets or sets whether <c>POST /sync/batch</c> is mapped already.</summary>
    public bool BatchMapped { get; set; }

    /// <summary>Gets or sets the metadata of <c>POST /sync/batch</c> once every convention ran: what a resource's own conventions are judged against (<see cref="Endpoints.BatchConventions"/>).</summary>
    public IReadOnlyList<object> BatchMetadata { get; set; } = [];

    /// <summary>Gets or sets the endpoint filter factories of <c>POST /sync/batch</c>: a group's filters run for the batch itself.</summary>
    public IReadOnlyList<Delegate> BatchFilters { get; set; } = [];

    public void Add(SyncResource resource)
    {
        lock (_resources)
        {
            if (!_resources.TryAdd(resource.Name, resource))
            {
                throw new InvalidOperationException($"The resource '{resource.Name}' is mapped twice.");
            }
        }
    }

    public SyncResource? Find(string name)
    {
        lock (_resources)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    /// <summary>For a container disposed synchronously.</summary>
    public void Dispose() => Store.Dispose();
}
