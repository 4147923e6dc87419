using System.Security.Cryptography;
using System.Text;

namespace OfflineSync.Server.Resources;

/// <summary>
/// What makes two requests "the same" for an idempotency key: the client, and the resource, kind, target
/// key and body — not headers a retry may change. Hashed in two steps, the request and then the client
/// bound to it, so records stored before fingerprints named the client can be bound to theirs on upgrade.
/// </summary>
internal static class RequestFingerprint
{
    public static byte[] Of(string? clientId, string resource, in MutationRequest request) => Bind(clientId, OfRequest(resource, request));

    /// <summary>The fingerprint of the request alone: resource, kind, target key and body (the layout before version 1 of the schema).</summary>
    public static byte[] OfRequest(string resource, in MutationRequest request)
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

    /// <summary>Binds a request's fingerprint to the client that sent it (<see langword="null"/> or empty: an anonymous request).</summary>
    public static byte[] Bind(string? clientId, ReadOnlySpan<byte> requestFingerprint)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(clientId ?? ""));
        hash.AppendData([0]);
        hash.AppendData(requestFingerprint);
        return hash.GetHashAndReset();
    }
}
