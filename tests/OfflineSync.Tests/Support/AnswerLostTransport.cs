using System.Diagnostics;

namespace OfflineSync.Tests.Support;

/// <summary>
/// A transport whose server applies a batch but whose answer never reaches the client: the push then
/// throws <see cref="Failure"/>, or, when it is <see langword="null"/>, waits until the client gives up (is disposed).
/// </summary>
internal sealed class AnswerLostTransport(ISyncTransport server) : ISyncTransport
{
    /// <summary>Gets or sets how many further pushes lose their answer.</summary>
    public int LoseNext { get; set; } = 1;

    /// <summary>Gets or sets what a push whose answer is lost throws; <see langword="null"/> waits for cancellation.</summary>
    public Exception? Failure { get; set; }

    public async Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<PushResult> results = await server.PushAsync(batch, cancellationToken);
        if (LoseNext <= 0)
        {
            return results;
        }

        LoseNext--;
        if (Failure is not null)
        {
            throw Failure;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new UnreachableException();
    }

    public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken) =>
        server.ListAsync(resource, after, limit, clientId, cancellationToken);

    public IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken) =>
        server.FollowAsync(resource, afterSequence, clientId, cancellationToken);
}
