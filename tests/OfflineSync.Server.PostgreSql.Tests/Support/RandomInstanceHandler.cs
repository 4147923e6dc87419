namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>
/// A load balancer in the client: sends each request to one of the server instances, chosen at random, so a
/// client's pushes, lists and feeds land on different instances. Counts requests that found no instance (a
/// killed one), to show a test that the kill hit requests in flight.
/// </summary>
internal sealed class RandomInstanceHandler(IReadOnlyList<int> ports, int seed) : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(2) })
{
    private readonly Random _random = new(seed);
    private int _failed;

    public int Failed => Volatile.Read(ref _failed);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int port;
        lock (_random)
        {
            port = ports[_random.Next(ports.Count)];
        }

        request.RequestUri = new UriBuilder(request.RequestUri!) { Port = port }.Uri;
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
    }
}
