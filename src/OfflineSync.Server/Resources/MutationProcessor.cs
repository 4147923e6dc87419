using System.Security.Cryptography;
using System.Text;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Resources;

/// <summary>
/// Applies one mutation inside a write transaction with its idempotency contract: a stored answer
/// for the same key and the same request is replayed, the same key with another request is 422,
/// and only successful answers are stored.
/// </summary>
internal sealed class MutationProcessor
{
    private readonly SyncServerOptions _options;

    public MutationProcessor(SyncServerOptions options) => _options = options;

    public MutationOutcome Apply(WriteSession session, SyncResource resource, in MutationRequest request, BatchScope? scope)
    {
        byte[]? hash = null;
        if (request.IdempotencyKey is { } idempotencyKey)
        {
            hash = Hash(resource.Name, request);
            if (session.GetIdempotency(idempotencyKey) is { } stored)
            {
                if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
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

        MutationOutcome outcome = resource.Apply(session, request, scope, _options.TimeProvider);
        if (outcome.IsSuccess)
        {
            Remember(resource, request, outcome, scope);
            if (request.IdempotencyKey is { } key)
            {
                long expires = session.Now + (long)_options.IdempotencyRetention.TotalMilliseconds;
                session.PutIdempotency(key, new IdempotencyRecord(hash!, outcome.Status, outcome.Key, outcome.OptimisticKey, outcome.Version, outcome.Body, expires));
            }
        }

        return outcome;
    }

    private static void Remember(SyncResource resource, in MutationRequest request, MutationOutcome outcome, BatchScope? scope)
    {
        if (scope is not null && request.Kind == MutationKind.Create && outcome.OptimisticKey is { } optimistic && outcome.Key is { } serverKey)
        {
            scope.Record(resource.Name, request.ClientId, optimistic, serverKey);
        }
    }

    /// <summary>Hashes what makes two requests "the same": resource, kind, target key and body (not headers that may differ on a retry).</summary>
    private static byte[] Hash(string resource, in MutationRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> separator = [0];
        hash.AppendData(Encoding.UTF8.GetBytes(resource));
        hash.AppendData(separator);
        hash.AppendData(Encoding.UTF8.GetBytes(IdempotencyKeys.KindToken(request.Kind)));
        hash.AppendData(separator);
        hash.AppendData(Encoding.UTF8.GetBytes(request.Key ?? ""));
        hash.AppendData(separator);
        hash.AppendData(request.Body.Span);
        return hash.GetHashAndReset();
    }
}
