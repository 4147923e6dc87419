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
/// <remarks>
/// What a feed costs is bounded: it is admitted under <see cref="FeedAdmission"/>'s caps; it reads the snapshot and the
/// log in pages of at most <see cref="PageRows"/> rows and <see cref="SyncServerOptions.MaxPageBytes"/>, each read
/// ended before the page is sent (no database transaction or connection waits on the client); and it writes into the
/// response, which sends every <see cref="Json.StreamedJson.FlushThreshold"/> bytes and makes the feed wait while its
/// client is behind.
/// </remarks>
internal sealed class FeedEndpoint
{
    /// <summary>The most rows one page of the snapshot or of the log holds.</summary>
    internal const int PageRows = 256;

    private readonly SyncServerState _state;
    private readonly SyncResource _resource;
    private readonly PageBudget _budget;

    public FeedEndpoint(SyncServerState state, SyncResource resource)
    {
        _state = state;
        _resource = resource;
        _budget = new PageBudget(PageRows, state.Options.MaxPageBytes);
    }

    public Task HandleAsync(HttpContext context) => Guard.RunAsync(_state, context, async () =>
    {
        string? lastEventId = HttpIo.Header(context.Request, SyncHeaderNames.LastEventId) ?? (string?)context.Request.Query[SyncRoutes.After];
        long after = 0;
        SyncProblem? refused = RequestIdentity.TryGetClientId(context, _state.Options, out string? clientId);
        if (refused is null && lastEventId is not null && (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            refused = SyncProblem.InvalidHeader($"{SyncHeaderNames.LastEventId} must be a sequence number, not '{lastEventId}'.");
        }

        using IDisposable? admitted = refused is null ? _state.Feeds.TryEnter(RequestIdentity.FeedOwner(context, clientId), out refused) : null;
        if (refused is not null)
        {
            await HttpIo.WriteProblemAsync(context, refused).ConfigureAwait(false);
            return;
        }

        IHostApplicationLifetime? lifetime = context.RequestServices.GetService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime?.ApplicationStopping ?? CancellationToken.None);
        CancellationToken cancellationToken = stopping.Token;

        HttpResponse response = context.Response;
        HttpIo.Start(response, StatusCodes.Status200OK, SyncEventNames.MediaType);
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var events = new SseEventWriter(response.BodyWriter);
        ReadScope scope = _resource.ScopeFor(context.User, clientId);
        try
        {
            events.WriteComment("offlinesync feed " + _resource.Name);
            await events.FlushAsync(cancellationToken).ConfigureAwait(false);
            long position = after == 0
                ? await SendSnapshotAsync(events, scope, cancellationToken).ConfigureAwait(false)
                : after;
            await FollowAsync(events, scope, position, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the server is stopping: the feed simply ends; the client resumes.
        }
    });

    /// <summary>
    /// Sends <c>existing</c> for every live row as of the first page's head, page by page in the order of the rows' last
    /// changes, and returns that head: the log after it brings whatever changed while the pages were read.
    /// </summary>
    private async Task<long> SendSnapshotAsync(SseEventWriter events, ReadScope scope, CancellationToken cancellationToken)
    {
        long? through = null;
        long after = 0;
        while (true)
        {
            RowPage page = await _state.Store.ReadSnapshotPageAsync(scope, after, through, _budget, cancellationToken).ConfigureAwait(false);
            through ??= page.Sequence;
            foreach (RowItem row in page.Items)
            {
                events.WriteEvent(row.Sequence, SyncEventNames.Existing, row.Key, row.Origin, RequestIdentity.OnWire(scope.ClientId), row.Version, row.Json);
                after = row.Sequence;
                if (events.FlushDue)
                {
                    await events.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (!page.HasMore)
            {
                await events.FlushAsync(cancellationToken).ConfigureAwait(false);
                return through.Value;
            }
        }
    }

    /// <summary>
    /// Sends the log after <paramref name="position"/> page by page, then waits for the next commit. Each
    /// page is read with the log's bounds in one snapshot: a position the log no longer covers (retention
    /// removed what follows it, at the start or overtaking a slow reader; or a position of another
    /// database) gets <c>invalidate</c> at the head instead of a silent gap.
    /// </summary>
    private async Task FollowAsync(SseEventWriter events, ReadScope scope, long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task nextCommit = _state.Notifier.NextCommit;
            ChangePage page = await _state.ChangeReads.ReadAsync(_resource.Name, position, _budget, cancellationToken).ConfigureAwait(false);
            if (!page.Covers(position))
            {
                events.WriteEvent(page.Head, SyncEventNames.Invalidate, key: null, origin: null, originClientId: null, version: null, data: null);
                position = page.Head;
                continue;
            }

            foreach (StoredChange change in page.Changes)
            {
                position = change.Sequence;
                if (scope.EventOf(change.Kind, change.Access) is not { } shown)
                {
                    continue; // a row this reader never could read: not even its key is sent
                }

                byte[]? data = shown == StoredChangeKind.Removed ? null : change.Json;
                events.WriteEvent(change.Sequence, NameOf(shown), change.Key, scope.OriginOf(change.ClientId, change.OriginOptimisticKey), RequestIdentity.OnWire(scope.ClientId), change.Version, data);
                if (events.FlushDue)
                {
                    await events.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (page.HasMore)
            {
                continue;
            }

            await events.FlushAsync(cancellationToken).ConfigureAwait(false);
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

    private static string NameOf(StoredChangeKind kind) => kind switch
    {
        StoredChangeKind.Added => SyncEventNames.Added,
        StoredChangeKind.Changed => SyncEventNames.Changed,
        _ => SyncEventNames.Removed,
    };
}
