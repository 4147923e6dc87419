using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
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
        using SqliteConnection connection = _state.Store.OpenReader();
        try
        {
            events.WriteComment("offlinesync feed " + _resource);
            await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
            long position = after == 0
                ? await SendSnapshotAsync(response, events, connection, clientId, cancellationToken).ConfigureAwait(false)
                : CheckResume(events, after);
            await FollowAsync(response, events, connection, clientId, position, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the server is stopping: the feed simply ends; the client resumes.
        }
    });

    private async Task<long> SendSnapshotAsync(HttpResponse response, SseEventWriter events, SqliteConnection connection, string? clientId, CancellationToken cancellationToken)
    {
        long head = 0;
        foreach (SyncReads.RowItem row in SyncReads.Snapshot(connection, _resource, h => head = h))
        {
            events.WriteEvent(row.Sequence, "existing", row.Key, Origins.VisibleTo(clientId, row.ClientId, row.OriginOptimisticKey), clientId, row.Version, row.Json);
            if (events.PendingBytes >= FlushThreshold)
            {
                await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(response, events, cancellationToken).ConfigureAwait(false);
        return head;
    }

    /// <summary>A position before the retained log (or after its head: another database) cannot be caught up: say so.</summary>
    private long CheckResume(SseEventWriter events, long after)
    {
        long head = _state.Store.Head;
        if (after < _state.Store.PrunedThrough || after > head)
        {
            events.WriteEvent(head, "invalidate", key: null, origin: null, originClientId: null, version: null, data: null);
            return head;
        }

        return after;
    }

    private async Task FollowAsync(HttpResponse response, SseEventWriter events, SqliteConnection connection, string? clientId, long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task nextCommit = _state.Notifier.NextCommit;
            if (position < _state.Store.PrunedThrough)
            {
                // Retention overtook a slow reader.
                position = CheckResume(events, position);
            }

            List<StoredChange> changes = SyncReads.ChangesAfter(connection, _resource, position, PageSize);
            foreach (StoredChange change in changes)
            {
                string kind = change.Kind switch
                {
                    StoredChangeKind.Added => "added",
                    StoredChangeKind.Changed => "changed",
                    _ => "removed",
                };
                events.WriteEvent(change.Sequence, kind, change.Key, Origins.VisibleTo(clientId, change.ClientId, change.OriginOptimisticKey), clientId, change.Version, change.Json);
                position = change.Sequence;
            }

            if (changes.Count == PageSize)
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
