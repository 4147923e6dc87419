namespace OfflineSync.Tests.Support;

/// <summary>
/// Puts the reference server's idempotency store in front of a scripted server (docs/protocol.md,
/// "Idempotency"): a key repeated by the same client with the same request gets the stored answer again;
/// the same key with another request is refused (422), as the server refuses a reused key. Only applied
/// mutations are remembered. So a retry that does not repeat its request exactly fails here as it would there.
/// </summary>
internal sealed class IdempotentServer(ISyncTransport server) : ISyncTransport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string ClientId, string Key), (string Request, PushResult Answer)> _answers = [];
    private readonly List<string> _refused = [];

    /// <summary>Gets the idempotency keys refused because they came back with another request.</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused.ToArray();
            }
        }
    }

    /// <summary>Describes a request as the server fingerprints it: every field that travels, the payload in full.</summary>
    public static string Request(OutgoingMutation m) =>
        $"{m.Resource} {m.Kind} key={m.Key} optimistic={m.OptimisticKey} base={m.BaseVersion} client={m.ClientId} idempotency={m.IdempotencyKey} payload={Convert.ToBase64String(m.Payload.Span)}";

    public async Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
    {
        var results = new List<PushResult>(batch.Count);
        lock (_gate)
        {
            // The batch is answered in order: repeated keys from the store, until the first key the server has not seen.
            foreach (OutgoingMutation mutation in batch)
            {
                if (!_answers.TryGetValue((mutation.ClientId, mutation.IdempotencyKey), out var stored))
                {
                    break;
                }

                if (stored.Request != Request(mutation))
                {
                    _refused.Add(mutation.IdempotencyKey);
                    results.Add(new PushResult.Rejected($"422 idempotency_key_reused: {mutation.IdempotencyKey} was used for another request", 422));
                    return results;
                }

                results.Add(stored.Answer);
            }
        }

        if (results.Count == batch.Count)
        {
            return results;
        }

        OutgoingMutation[] rest = batch.Skip(results.Count).ToArray();
        IReadOnlyList<PushResult> answers = await server.PushAsync(rest, cancellationToken);
        lock (_gate)
        {
            for (int i = 0; i < answers.Count; i++)
            {
                if (answers[i] is PushResult.Applied)
                {
                    _answers[(rest[i].ClientId, rest[i].IdempotencyKey)] = (Request(rest[i]), answers[i]);
                }
            }
        }

        results.AddRange(answers);
        return results;
    }

    public Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken) =>
        server.ListAsync(resource, after, limit, clientId, cancellationToken);

    public IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken) =>
        server.FollowAsync(resource, afterSequence, clientId, cancellationToken);
}
