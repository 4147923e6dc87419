namespace OfflineSync;

/// <summary>The server's answer to one pushed mutation.</summary>
public abstract record PushResult
{
    private PushResult()
    {
    }

    /// <summary>The mutation was applied (or had been, for a replayed idempotency key).</summary>
    /// <param name="ServerKey">The key the server stored; differs from the sent key when the server assigned one.</param>
    /// <param name="Version">The row's new version, or <see langword="null"/> after a delete.</param>
    /// <param name="State">The row as the server stores it (UTF-8 JSON), or empty after a delete.</param>
    public sealed record Applied(string ServerKey, string? Version, ReadOnlyMemory<byte> State) : PushResult;

    /// <summary>The base version was stale, or a create broke a server constraint (409).</summary>
    /// <param name="ServerState">The row as the server stores it (UTF-8 JSON), or empty when it is gone.</param>
    /// <param name="Version">The row's current version, or <see langword="null"/> when it is gone.</param>
    /// <param name="Error">What the server said.</param>
    public sealed record Conflict(ReadOnlyMemory<byte> ServerState, string? Version, string Error) : PushResult;

    /// <summary>The server refused the mutation for good (4xx other than 401, 408, 409, 429); 403 when an access rule refused it.</summary>
    /// <param name="Error">What the server said, for example a problem-details title and detail.</param>
    /// <param name="Status">The HTTP status code, or 0 when there was none.</param>
    public sealed record Rejected(string Error, int Status) : PushResult;

    /// <summary>
    /// The server refused the credentials (401), and still did after the transport refreshed them once. Nothing is wrong
    /// with the mutation: the engine keeps it queued without counting an attempt and waits, with
    /// <see cref="SyncStatus.Unauthorized"/>, until the app has new credentials (<c>SyncClient.NotifyCredentialsChanged</c>).
    /// </summary>
    /// <param name="Error">What the server or the token provider said.</param>
    public sealed record Unauthorized(string Error) : PushResult;

    /// <summary>The mutation may succeed later (connection error, timeout, 408, 429, 5xx).</summary>
    /// <param name="Error">What went wrong.</param>
    /// <param name="RetryAfter">The server's <c>Retry-After</c>, when it sent one.</param>
    public sealed record Transient(string Error, TimeSpan? RetryAfter) : PushResult;
}
