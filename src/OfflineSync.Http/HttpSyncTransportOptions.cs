namespace OfflineSync.Http;

/// <summary>Configures <see cref="HttpSyncTransport"/>.</summary>
public sealed class HttpSyncTransportOptions
{
    /// <summary>The default of <see cref="AuthenticationScheme"/>: <c>Bearer</c>.</summary>
    public const string DefaultAuthenticationScheme = "Bearer";

    /// <summary>
    /// Gets or sets the largest number of mutations sent in one <c>POST /sync/batch</c>. A push of more sends the
    /// first ones and answers only those; the engine sends the rest in its next batch, with references to the creates
    /// just confirmed already replaced by their server keys.
    /// </summary>
    /// <value>The default is 500.</value>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>Gets or sets how many characters of an unexpected answer are quoted in an error message.</summary>
    /// <value>The default is 200.</value>
    public int ErrorExcerptLength { get; set; } = 200;

    /// <summary>
    /// Gets or sets how long the change feed may stay silent before the connection is taken for dead
    /// and <c>FollowAsync</c> fails with a <see cref="TimeoutException"/>, so the set reconnects. The
    /// reference server sends a heartbeat comment every 15 seconds while idle; keep this a few times longer
    /// than the server's <c>HeartbeatInterval</c>. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan FeedIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the largest answer body the transport reads, in bytes: a push answer, a batch answer or a list
    /// page. A longer answer is not read any further: a push counts it as a transient failure, a list as a failed
    /// request (<see cref="HttpRequestException"/>). It bounds what a broken or hostile server can make the client
    /// hold; raise it when list pages of <c>500</c> rows of yours can be larger. Feed events have their own limit,
    /// <see cref="OfflineSync.Protocol.SyncLimits.MaxEventBytes"/> each, the server's largest row and its envelope.
    /// </summary>
    /// <value>The default is 64 MiB. At least 1,024.</value>
    public int MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the source of the access token sent with every request (<c>Authorization</c>). After a 401 the
    /// transport asks it once for a fresh token and sends the request again; a second 401 makes the client wait with
    /// <see cref="SyncStatus.Unauthorized"/>. Leave it unset when a handler of the <see cref="HttpClient"/> sets the
    /// header (<see cref="SyncTokenHandler"/> or your own): the transport then re-sends once with
    /// <see cref="HttpSyncTransport.RefreshCredentialsOption"/> set, for that handler to renew its token.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the transport sets no <c>Authorization</c> header.</value>
    public ISyncTokenProvider? TokenProvider { get; set; }

    /// <summary>Gets or sets the scheme of the <c>Authorization</c> header that carries <see cref="TokenProvider"/>'s token.</summary>
    /// <value>The default is <see cref="DefaultAuthenticationScheme"/> (<c>Bearer</c>).</value>
    public string AuthenticationScheme { get; set; } = DefaultAuthenticationScheme;

    internal HttpSyncTransportOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(AuthenticationScheme, nameof(AuthenticationScheme));
        if (FeedIdleTimeout <= TimeSpan.Zero && FeedIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(FeedIdleTimeout), FeedIdleTimeout, "FeedIdleTimeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ErrorExcerptLength, 16, nameof(ErrorExcerptLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseBytes, 1024, nameof(MaxResponseBytes));
        return this;
    }
}
