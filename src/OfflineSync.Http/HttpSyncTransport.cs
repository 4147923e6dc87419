using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OfflineSync.Http.Sse;
using OfflineSync.Protocol;

namespace OfflineSync.Http;

/// <summary>
/// Speaks the OfflineSync HTTP protocol (docs/protocol.md): single writes with idempotency keys,
/// ordered batches through <c>POST /sync/batch</c>, paged lists and the Server-Sent Events change feed.
/// </summary>
/// <remarks>
/// <para>
/// Push never throws for an answer it did not like: connection errors (of any exception type, a bare
/// <see cref="System.Net.Sockets.SocketException"/> included), timeouts and malformed answers become
/// <see cref="PushResult.Transient"/> or <see cref="PushResult.Rejected"/> results that quote the raw status
/// and a short excerpt. Only cancellation through the caller's token throws. Lists and feeds throw connection
/// errors as <see cref="HttpRequestException"/>. Every request carries the client's id (<c>X-Client-Id</c>), and
/// no answer is read beyond <see cref="HttpSyncTransportOptions.MaxResponseBytes"/>.
/// </para>
/// <para>
/// Authentication: set <see cref="HttpSyncTransportOptions.TokenProvider"/>, or pass an <see cref="HttpClient"/> built
/// over a <see cref="DelegatingHandler"/> that sets the header (<see cref="SyncTokenHandler"/>, or one registered with
/// <c>AddHttpSyncTransport(...).AddHttpMessageHandler&lt;T&gt;()</c>); every request of the transport, the feed
/// included, goes through it. A request the server answers with 401 is sent once more with a refreshed token
/// (<see cref="RefreshCredentialsOption"/>); a second 401 becomes <see cref="PushResult.Unauthorized"/> for a push
/// and a <see cref="SyncUnauthorizedException"/> for a list or a feed, and the client waits for new credentials.
/// </para>
/// </remarks>
public sealed class HttpSyncTransport : ISyncTransport, IFeedConnectionSignal, IDisposable
{
    /// <summary>
    /// Set to <see langword="true"/> on the one re-send of a request the server answered with 401: a
    /// <see cref="DelegatingHandler"/> that adds the <c>Authorization</c> header renews its token when it sees it.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RefreshCredentialsOption = new("OfflineSync.RefreshCredentials");

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly Uri _baseAddress;
    private readonly HttpSyncTransportOptions _options;
    private readonly PushResultMapper _mapper;
    private readonly int _maxResponseBytes;
    private readonly HttpTelemetry _telemetry;
    private readonly TokenAuthorizer? _tokens;

    /// <summary>Creates a transport over an existing client, which must have a <see cref="HttpClient.BaseAddress"/>; the caller owns the client.</summary>
    /// <param name="httpClient">The client, for example from <c>IHttpClientFactory</c>; its handlers (auth, logging) apply to every request.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="httpClient"/> has no base address.</exception>
    public HttpSyncTransport(HttpClient httpClient, HttpSyncTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _baseAddress = Normalize(httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress, the server's root URL.", nameof(httpClient)));
        _options = (options ?? new HttpSyncTransportOptions()).Validated();
        _mapper = new PushResultMapper(_options.ErrorExcerptLength);
        _maxResponseBytes = _options.MaxResponseBytes;
        _telemetry = new HttpTelemetry(_options.LoggerFactory, _options.MeterFactory);
        _tokens = _options.TokenProvider is { } provider ? new TokenAuthorizer(provider, _options.AuthenticationScheme) : null;
    }

    /// <summary>Creates a transport with its own <see cref="HttpClient"/> for the server at <paramref name="baseAddress"/>.</summary>
    /// <param name="baseAddress">The server's root URL, for example <c>http://127.0.0.1:5080/</c>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public HttpSyncTransport(Uri baseAddress, HttpSyncTransportOptions? options = null)
        : this(CreateClient(baseAddress), options) => _ownsClient = true;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        IReadOnlyList<PushResult> results = await PushAsync(batch, refresh: false, cancellationToken).ConfigureAwait(false);

        // Refused credentials (a token that expired while the queue drained): once more with a fresh token. What the
        // first request applied is replayed by the server from its idempotency keys.
        return IsUnauthorized(results) ? await PushAsync(batch, refresh: true, cancellationToken).ConfigureAwait(false) : results;
    }

    /// <inheritdoc/>
    /// <exception cref="HttpRequestException">
    /// The connection failed, the server answered with an error or with something that is not a list page, or the
    /// page is larger than <see cref="HttpSyncTransportOptions.MaxResponseBytes"/>.
    /// </exception>
    /// <exception cref="SyncUnauthorizedException">The server answered 401, also after one refresh of the token.</exception>
    /// <exception cref="TimeoutException">The answer took longer than <see cref="HttpClient.Timeout"/>, its body included.</exception>
    public async Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        try
        {
            return await ListAsync(resource, after, limit, clientId, refresh: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SyncUnauthorizedException.Find(e) is not null)
        {
            return await ListAsync(resource, after, limit, clientId, refresh: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, bool refresh, CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            return [await PushOneAsync(batch[0], refresh, cancellationToken).ConfigureAwait(false)];
        }

        // One request per push: what it does not carry is answered by nothing, so the engine sends it again in its
        // next batch. A later request must not be sent from here: its mutations may reference creates of this one by
        // their optimistic keys, which the server resolves only within one request, and which the engine replaces by
        // the server keys once it has applied this request's answers.
        int count = Math.Min(_options.MaxBatchSize, batch.Count);
        while (true)
        {
            BatchAttempt attempt = await PushBatchAsync(batch, count, refresh, cancellationToken).ConfigureAwait(false);
            if (attempt.Results is { } results)
            {
                return results;
            }

            _telemetry.BatchShortened(count, attempt.Resend);
            count = attempt.Resend;
        }
    }

    private static bool IsUnauthorized(IReadOnlyList<PushResult> results)
    {
        foreach (PushResult result in results)
        {
            if (result is PushResult.Unauthorized)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, bool refresh, CancellationToken cancellationToken)
    {
        string query = string.Create(CultureInfo.InvariantCulture, $"sync/{Uri.EscapeDataString(resource)}?limit={limit}");
        if (after is not null)
        {
            query += "&after=" + Uri.EscapeDataString(after);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, query));
        request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, clientId);
        using CancellationTokenSource timeout = WholeRequestTimeout(cancellationToken);
        HttpStatusCode status;
        TimeSpan? retryAfter;
        byte[] body;
        try
        {
            await AuthorizeAsync(request, refresh, timeout.Token).ConfigureAwait(false);
            using HttpResponseMessage response = await SendReadingHeadersAsync(request, "list", $"Listing '{resource}'", timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            retryAfter = PushResultMapper.RetryAfter(response.Headers.RetryAfter);
            body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Listing '{resource}' took longer than HttpClient.Timeout ({_http.Timeout}).", e);
        }

        if ((int)status is < 200 or > 299)
        {
            _telemetry.Refused("list", request.RequestUri, (int)status);
            string error = PushResultMapper.TryReadProblem(body)?.Describe((int)status) ?? _mapper.Excerpt(body);
            string message = $"Listing '{resource}' failed with HTTP {(int)status}: {error}";
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new SyncUnauthorizedException(message);
            }

            throw retryAfter is { } delay
                ? new RetryAfterException(message, status, delay)
                : new HttpRequestException(message, null, status);
        }

        try
        {
            return ListPageReader.Read(body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new HttpRequestException($"Listing '{resource}' returned HTTP {(int)status} with a body that is not a list page ({e.Message}): {_mapper.Excerpt(body)}", e, status);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Events are parsed from the response stream as they arrive, by <see cref="SseParser"/>. Unknown event types are
    /// skipped (newer servers may send more); an event that cannot be read, an event longer than
    /// <see cref="SyncLimits.MaxEventBytes"/>, or an answer that is not an event stream ends the feed with an
    /// <see cref="HttpRequestException"/> so the caller reconnects. A feed silent for longer than
    /// <see cref="HttpSyncTransportOptions.FeedIdleTimeout"/>, heartbeats included, ends with a <see cref="TimeoutException"/>:
    /// the connection is dead even if the socket does not know. A refusal with <c>Retry-After</c> (a server at its feed
    /// limit answers 503) carries the delay the server asked for, which the client honours up to its longest backoff.
    /// A 401, also after one refresh of the token, throws a <see cref="SyncUnauthorizedException"/>.
    /// </remarks>
    public IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken) =>
        FollowAsync(resource, afterSequence, clientId, connected: null, cancellationToken);

    /// <inheritdoc/>
    IAsyncEnumerable<ChangeEvent> IFeedConnectionSignal.FollowAsync(string resource, long afterSequence, string clientId, Action connected, CancellationToken cancellationToken) =>
        FollowAsync(resource, afterSequence, clientId, connected, cancellationToken);

    private async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, Action? connected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        using HttpResponseMessage response = await OpenFeedAsync(resource, afterSequence, clientId, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != SyncEventNames.MediaType)
        {
            _telemetry.Refused("feed", response.RequestMessage?.RequestUri, (int)response.StatusCode);
            byte[] refusal = await ReadLimitedAsync(response, 4096, cancellationToken).ConfigureAwait(false);
            string error = PushResultMapper.TryReadProblem(refusal)?.Describe((int)response.StatusCode) ?? _mapper.Excerpt(refusal);
            string message = $"The change feed of '{resource}' answered HTTP {(int)response.StatusCode} ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}) instead of an event stream: {error}";
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new SyncUnauthorizedException(message);
            }

            throw PushResultMapper.RetryAfter(response.Headers.RetryAfter) is { } retryAfter
                ? new RetryAfterException(message, response.StatusCode, retryAfter)
                : new HttpRequestException(message, null, response.StatusCode);
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        connected?.Invoke();
        await using var stream = new SseStreamGuard(body, _options.FeedIdleTimeout, SyncLimits.MaxEventBytes);
        SseParser<ChangeEvent?>? parser = null;
        parser = SseParser.Create(stream, (type, data) => SyncEventNames.TryParse(type, out ChangeKind kind)
            ? ChangeEventReader.Read(resource, kind, parser!.LastEventId, data, _mapper)
            : null);
        IAsyncEnumerator<SseItem<ChangeEvent?>> events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (InvalidDataException e)
                {
                    throw new HttpRequestException($"The change feed of '{resource}' broke the protocol: {e.Message}", e);
                }

                if (events.Current.Data is { } change)
                {
                    yield return change;
                }
            }
        }
    }

    /// <summary>Sends the feed request, and once more with a refreshed token when the server refused the credentials.</summary>
    private async Task<HttpResponseMessage> OpenFeedAsync(string resource, long afterSequence, string clientId, CancellationToken cancellationToken)
    {
        for (bool refresh = false; ; refresh = true)
        {
            // A GET has no content the request would dispose: the response may outlive it.
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, $"sync/{Uri.EscapeDataString(resource)}/events"));
            request.Headers.Accept.ParseAdd(SyncEventNames.MediaType);
            request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, clientId);
            if (afterSequence > 0)
            {
                request.Headers.TryAddWithoutValidation(SyncHeaderNames.LastEventId, afterSequence.ToString(CultureInfo.InvariantCulture));
            }

            HttpResponseMessage response;
            try
            {
                await AuthorizeAsync(request, refresh, cancellationToken).ConfigureAwait(false);
                response = await SendReadingHeadersAsync(request, "feed", $"The change feed of '{resource}'", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!refresh && SyncUnauthorizedException.Find(e) is not null)
            {
                continue;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refresh)
            {
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    /// <summary>Disposes the client when the transport created it.</summary>
    public void Dispose()
    {
        _telemetry.Dispose();
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }

    private async Task<PushResult> PushOneAsync(OutgoingMutation mutation, bool refresh, CancellationToken cancellationToken)
    {
        string path = $"sync/{Uri.EscapeDataString(mutation.Resource)}";
        using var request = mutation.Kind switch
        {
            MutationKind.Create => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, path)),
            MutationKind.Update => new HttpRequestMessage(HttpMethod.Patch, new Uri(_baseAddress, path + "/" + Uri.EscapeDataString(mutation.Key))),
            _ => new HttpRequestMessage(HttpMethod.Delete, new Uri(_baseAddress, path + "/" + Uri.EscapeDataString(mutation.Key))),
        };
        request.Headers.TryAddWithoutValidation(SyncHeaderNames.IdempotencyKey, mutation.IdempotencyKey);
        request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, mutation.ClientId);
        if (mutation.Kind == MutationKind.Create && mutation.OptimisticKey is not null)
        {
            request.Headers.TryAddWithoutValidation(SyncHeaderNames.OptimisticId, mutation.OptimisticKey);
        }

        if (mutation.Kind != MutationKind.Create && mutation.BaseVersion is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"" + mutation.BaseVersion + "\"");
        }

        if (mutation.Kind != MutationKind.Delete)
        {
            request.Content = new ReadOnlyMemoryContent(mutation.Payload);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        return await SendAsync(
            request,
            refresh,
            (response, body) => _mapper.Map(PushResultMapper.ReadResponse(response, body), mutation),
            static failure => failure,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the first <paramref name="count"/> mutations through <c>POST /sync/batch</c>.</summary>
    private async Task<BatchAttempt> PushBatchAsync(IReadOnlyList<OutgoingMutation> batch, int count, bool refresh, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096 + (count * 256));
        try
        {
            BatchProtocol.Write(buffer, batch, count);
        }
        catch (JsonException e)
        {
            return BatchAttempt.Of([new PushResult.Rejected($"A mutation of the batch has a payload that is not valid JSON: {e.Message}", 0)]);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, "sync/batch"));
        request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, batch[0].ClientId);
        request.Content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        request.Content.Headers.ContentType = JsonMediaType;

        return await SendAsync(request, refresh, (response, body) => MapBatch(response, body, batch, count), static failure => BatchAttempt.Of([failure]), cancellationToken).ConfigureAwait(false);
    }

    private BatchAttempt MapBatch(HttpResponseMessage response, ReadOnlyMemory<byte> body, IReadOnlyList<OutgoingMutation> batch, int count)
    {
        if (count > 1 && response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Forbidden)
        {
            // 413: the server's batch limit is smaller; only a single mutation can be too large for good. 403: one
            // mutation is refused and nothing was applied; the problem names it (its index), so the mutations before it
            // go again and then it alone, which is refused for good. A server that names none is halved until it is found.
            int resend = response.StatusCode == HttpStatusCode.Forbidden && PushResultMapper.TryReadProblem(body)?.Mutation is int refused && refused < count
                ? Math.Max(1, refused)
                : Math.Max(1, count / 2);
            return new BatchAttempt(null, resend);
        }

        if (!response.IsSuccessStatusCode)
        {
            // The batch as a whole failed (413, 500, a proxy's error page): the first mutation carries the answer.
            return BatchAttempt.Of([_mapper.Map(PushResultMapper.ReadResponse(response, body), batch[0])]);
        }

        List<ServerAnswer> answers;
        try
        {
            answers = BatchProtocol.ReadResults(body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return BatchAttempt.Of([new PushResult.Transient($"HTTP {(int)response.StatusCode} with a body that is not a batch answer ({e.Message}): {_mapper.Excerpt(body.Span)}", null)]);
        }

        if (answers.Count == 0 || answers.Count > count)
        {
            return BatchAttempt.Of([new PushResult.Transient($"HTTP {(int)response.StatusCode} with {answers.Count} results for {count} mutations: {_mapper.Excerpt(body.Span)}", null)]);
        }

        var results = new List<PushResult>(answers.Count);
        for (int i = 0; i < answers.Count; i++)
        {
            results.Add(_mapper.Map(answers[i], batch[i]));
        }

        return BatchAttempt.Of(results);
    }

    /// <summary>
    /// Sends a push request; connection errors of any exception type and timeouts become a Transient result, a token
    /// provider that failed (<see cref="SyncUnauthorizedException"/>) an Unauthorized one.
    /// </summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, bool refresh, Func<HttpResponseMessage, ReadOnlyMemory<byte>, T> map, Func<PushResult, T> failed, CancellationToken cancellationToken)
    {
        try
        {
            using CancellationTokenSource timeout = WholeRequestTimeout(cancellationToken);
            await AuthorizeAsync(request, refresh, timeout.Token).ConfigureAwait(false);
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _telemetry.Refused("push", request.RequestUri, (int)response.StatusCode);
            }

            return map(response, body);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            _telemetry.Failed("push", request.RequestUri, e);
            return failed(new PushResult.Transient($"The request to {request.RequestUri} timed out: {e.Message}", null));
        }
        catch (Exception e) when (SyncUnauthorizedException.Find(e) is { } refused)
        {
            return failed(new PushResult.Unauthorized(refused.Message));
        }
        catch (Exception e) when (TransientErrors.IsTransient(e))
        {
            // A reset of a fresh connection surfaces as a bare SocketException, not an HttpRequestException (S9).
            _telemetry.Failed("push", request.RequestUri, e);
            return failed(new PushResult.Transient($"The request to {request.RequestUri} failed: {e.GetType().Name}: {e.Message}", null));
        }
    }

    /// <summary>
    /// Sends a list or feed request and returns once the headers arrived; a connection error of any exception type
    /// (a bare <see cref="System.Net.Sockets.SocketException"/> among them) is thrown as an <see cref="HttpRequestException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendReadingHeadersAsync(HttpRequestMessage request, string operation, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TransientErrors.IsTransient(e))
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                _telemetry.Failed(operation, request.RequestUri, e);
            }

            if (e is HttpRequestException or OperationCanceledException)
            {
                throw;
            }

            throw new HttpRequestException($"{what} failed to connect: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Marks a re-send after a 401 for the handlers, and sets the <c>Authorization</c> header when the transport has a
    /// token provider of its own.
    /// </summary>
    private async ValueTask AuthorizeAsync(HttpRequestMessage request, bool refresh, CancellationToken cancellationToken)
    {
        if (refresh)
        {
            request.Options.Set(RefreshCredentialsOption, true);
        }

        if (_tokens is not null)
        {
            await _tokens.AuthorizeAsync(request, refresh, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes a token that also ends when <see cref="HttpClient.Timeout"/> has passed. Answers are read as streams, to
    /// bound them, and the client's own timeout then covers the headers only: a server that stalls in the body must
    /// not hold a push or a list for longer.
    /// </summary>
    private CancellationTokenSource WholeRequestTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_http.Timeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(_http.Timeout);
        }

        return source;
    }

    /// <summary>Reads an answer body, at most <see cref="HttpSyncTransportOptions.MaxResponseBytes"/>.</summary>
    /// <exception cref="HttpRequestException">The body is longer.</exception>
    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        long? declared = response.Content.Headers.ContentLength;
        if (declared > _maxResponseBytes)
        {
            throw TooLarge(response, declared.Value);
        }

        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = new ArrayBufferWriter<byte>((int)Math.Clamp(declared ?? 16 * 1024, 1, _maxResponseBytes));
            while (true)
            {
                int read = await stream.ReadAsync(body.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return body.WrittenSpan.ToArray();
                }

                body.Advance(read);
                if (body.WrittenCount > _maxResponseBytes)
                {
                    throw TooLarge(response, body.WrittenCount);
                }
            }
        }
    }

    private HttpRequestException TooLarge(HttpResponseMessage response, long bytes) =>
        new($"The answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} (HTTP {(int)response.StatusCode}) holds {bytes} bytes or more, over HttpSyncTransportOptions.MaxResponseBytes ({_maxResponseBytes}).", null, response.StatusCode);

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[limit];
        int total = 0;
        int read;
        while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }

    private static HttpClient CreateClient(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(handler) { BaseAddress = Normalize(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static Uri Normalize(Uri baseAddress)
    {
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("The server address must be an absolute URL.", nameof(baseAddress));
        }

        return baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }

    /// <summary>What one batch request gave: the answers, or how many of the batch's first mutations to send instead.</summary>
    private readonly record struct BatchAttempt(List<PushResult>? Results, int Resend)
    {
        public static BatchAttempt Of(List<PushResult> results) => new(results, 0);
    }
}
