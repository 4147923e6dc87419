using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OfflineSync.Protocol;
using OfflineSync.Server.Endpoints;
using OfflineSync.Server.Resources;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Feed;

/// <summary>
/// <c>GET /sync/{resource}/events</c>: the change feed as Server-Sent Events. A fresh start sends
/// <c>existing</c> for every live row, a resume (<c>Last-Event-ID</c>) replays the change log after
/// it, a position the log no longer covers gets <c>invalidate</c>; then live changes, with
/// heartbeat comments while idle.
/// </summary>
internal sealed class FeedEndpoint
{
    private const int PageSize = 256;
    private const int FlushThreshold = 32 * 1024;
    private readonly SyncServerState _state;
    private readonly string _resource;

    public FeedEndpoint(SyncServerState state, string resource)
    {
        _state = state;
        _resource = resource;
    }

    public Task HandleAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string? lastEventId = HttpIo.Header(context.Request, SyncHeaderNames.LastEventId) ?? (string?)context.Request.Query["after"];
        long after = 0;
        SyncProblem? refused = RequestIdentity.TryGetClientId(context, out string? clientId);
        if (refused is null && lastEventId is not null && (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            refused = SyncProblem.InvalidHeader($"Last-Event-ID must be a sequence number, not '{lastEventId}'.");
        }

        if (refused is not null)
        {
            await HttpIo.WriteProblemAsync(context, refused).ConfigureAwait(false);
            return;
        }

        IHostApplicationLifetime? lifetime = context.RequestServices.GetService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime?.ApplicationStopping ?? CancellationToken.None);
        CancellationToken cancellationToken = stopping.Token;

        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var events = new SseEventWriter();
        var scope = new ReadScope(_resource, clientId);
        try
        {
            events.WriteComment("offlinesync feed " + _resource);
            await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
            long position = after == 0
                ? await SendSnapshotAsync(response, events, scope, cancellationToken).ConfigureAwait(false)
                : after;
            await FollowAsync(response, events, scope, position, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the server is stopping: the feed simply ends; the client resumes.
        }
    });

    private async Task<long> SendSnapshotAsync(HttpResponse response, SseEventWriter events, ReadScope scope, CancellationToken cancellationToken)
    {
        long head = 0;
        await foreach (RowItem row in _state.Store.ReadSnapshotAsync(scope, h => head = h, cancellationToken).ConfigureAwait(false))
        {
            events.WriteEvent(row.Sequence, "existing", row.Key, row.Origin, scope.ClientId, row.Version, row.Json);
            if (events.PendingBytes >= FlushThreshold)
            {
                await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
        return head;
    }

    /// <summary>
    /// Sends the log after <paramref name="position"/> page by page, then waits for the next commit. Each
    /// page is read with the log's bounds in one snapshot: a position the log no longer covers (retention
    /// removed what follows it, at the start or overtaking a slow reader; or a position of another
    /// database) gets <c>invalidate</c> at the head instead of a silent gap.
    /// </summary>
    private async Task FollowAsync(HttpResponse response, SseEventWriter events, ReadScope scope, long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task nextCommit = _state.Notifier.NextCommit;
            ChangePage page = await _state.ChangeReads.ReadAsync(_resource, position, PageSize, cancellationToken).ConfigureAwait(false);
            if (!page.Covers(position))
            {
                events.WriteEvent(page.Head, "invalidate", key: null, origin: null, originClientId: null, version: null, data: null);
                position = page.Head;
                continue;
            }

            foreach (StoredChange change in page.Changes)
            {
                string kind = change.Kind switch
                {
                    StoredChangeKind.Added => "added",
                    StoredChangeKind.Changed => "changed",
                    _ => "removed",
                };
                events.WriteEvent(change.Sequence, kind, change.Key, scope.OriginOf(change.ClientId, change.OriginOptimisticKey), scope.ClientId, change.Version, change.Json);
                position = change.Sequence;
            }

            if (page.Changes.Count == PageSize)
            {
                if (events.PendingBytes >= FlushThreshold)
                {
                    await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
            try
            {
                await nextCommit.WaitAsync(_state.Options.HeartbeatInterval, _state.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Idle: a comment keeps proxies from closing the connection and tells the client the server is alive.
                events.WriteHeartbeat();
            }
        }
    }

    private static async Task FlushAsync(HttpResponse response, SseEventWriter events, CancellationToken cancellationToken)
    {
        if (events.PendingBytes > 0)
        {
            await response.Body.WriteAsync(events.Pending, cancellationToken).ConfigureAwait(false);
            events.Clear();
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
