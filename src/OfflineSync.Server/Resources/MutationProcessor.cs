using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>
/// Applies one mutation inside a write transaction with its idempotency contract: records are kept per
/// (client, key); a stored answer for the same client, key and request is replayed, the same client and
/// key with another request is 422, and only successful answers are stored. Another client's key is a
/// new key for this client: it is never answered from the store and never blocks the client that owns it.
/// </summary>
internal sealed class MutationProcessor
{
    private readonly SyncServerOptions _options;

    public MutationProcessor(SyncServerOptions options) => _options = options;

    public async ValueTask<MutationOutcome> ApplyAsync(IWriteSession session, SyncResource resource, MutationRequest request, BatchScope? scope)
    {
        byte[]? fingerprint = null;
        if (request.IdempotencyKey is { } idempotencyKey)
        {
            fingerprint = RequestFingerprint.Of(request.ClientId, resource.Name, request);
            if (await session.GetIdempotencyAsync(request.ClientId, idempotencyKey).ConfigureAwait(false) is { } stored)
            {
                if (!stored.RequestHash.AsSpan().SequenceEqual(fingerprint))
                {
                    return MutationOutcome.Fail(SyncProblem.IdempotencyKeyReused(idempotencyKey));
                }

                var replayed = new MutationOutcome(stored.Status)
                {
                    Key = stored.EntityKey,
                    OptimisticKey = stored.OptimisticKey,
                    Version = stored.Version,
                    Body = stored.Body,
                    Replayed = true,
                };
                Remember(resource, request, replayed, scope);
                return replayed;
            }
        }

        MutationOutcome outcome = await resource.ApplyAsync(session, request, scope, _options).ConfigureAwait(false);
        if (outcome.IsSuccess)
        {
            Remember(resource, request, outcome, scope);
            if (request.IdempotencyKey is { } key)
            {
                long expires = session.Now + (long)_options.IdempotencyRetention.TotalMilliseconds;
                session.PutIdempotency(request.ClientId, key, new IdempotencyRecord(fingerprint!, outcome.Status, outcome.Key, outcome.OptimisticKey, outcome.Version, outcome.Body, expires));
            }
        }

        return outcome;
    }

    private static void Remember(SyncResource resource, MutationRequest request, MutationOutcome outcome, BatchScope? scope)
    {
        if (scope is not null && request.Kind == MutationKind.Create && outcome.OptimisticKey is { } sent && outcome.Key is { } serverKey)
        {
            scope.Record(resource.Name, sent, serverKey);
        }
    }
}
