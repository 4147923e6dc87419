using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using OfflineSync.Protocol;

namespace OfflineSync.TestModel.Observation;

/// <summary>A row as a list page or a feed event shows it to one client.</summary>
/// <param name="Resource">The resource name.</param>
/// <param name="Key">The row's key.</param>
/// <param name="OriginOptimisticKey">The <c>originOptimisticKey</c> field, when present and not <see langword="null"/>.</param>
/// <param name="OriginClientId">The <c>originClientId</c> field, when present and not <see langword="null"/>.</param>
/// <param name="Version">The <c>version</c> field.</param>
/// <param name="Item">The row's data, described; <see langword="null"/> for a <c>removed</c> event.</param>
public sealed record ObservedRow(string Resource, string Key, string? OriginOptimisticKey, string? OriginClientId, string? Version, ItemDescription? Item);

/// <summary>One event of a change feed.</summary>
/// <param name="Sequence">The event's <c>id</c>.</param>
/// <param name="Kind">The event type: <c>existing</c>, <c>added</c>, <c>changed</c>, <c>removed</c> or <c>invalidate</c>.</param>
/// <param name="Row">The row the event is about; <see langword="null"/> for <c>invalidate</c>.</param>
public sealed record ObservedEvent(long Sequence, string Kind, ObservedRow? Row);

/// <summary>Every live row of every resource, with the change-log head the lists were read at.</summary>
/// <param name="Head">The largest <c>seq</c> of the list pages: the change-log head.</param>
/// <param name="Rows">The rows, by resource, ordered by key.</param>
public sealed record ServerSnapshot(long Head, IReadOnlyDictionary<string, IReadOnlyList<ObservedRow>> Rows)
{
    /// <summary>Every row of every resource.</summary>
    public IEnumerable<ObservedRow> All => Rows.Values.SelectMany(static rows => rows);

    /// <summary>A text that is equal for two snapshots exactly when they hold the same rows at the same head.</summary>
    public string Fingerprint() =>
        string.Create(CultureInfo.InvariantCulture, $"head {Head}\n")
        + string.Join('\n', All.Select(static r => $"{r.Resource}/{r.Key}@{r.Version} {r.Item?.Json}"));
}

/// <summary>
/// Looks at a server the way a client does, over plain HTTP, as the client named <see cref="ClientId"/>:
/// lists every resource, and reads a feed's backlog up to its first heartbeat. Independent of
/// <c>HttpSyncTransport</c>, so what the tests see is what the server sends.
/// </summary>
public sealed class ServerObserver : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Observes the server at <paramref name="server"/> as client <paramref name="clientId"/>.</summary>
    public ServerObserver(Uri server, string clientId = "observer")
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        ClientId = clientId;
    }

    /// <summary>Gets the client id sent as <c>X-Client-Id</c> with every request.</summary>
    public string ClientId { get; }

    /// <summary>Lists every resource of the model.</summary>
    public async Task<ServerSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, IReadOnlyList<ObservedRow>>();
        long head = 0;
        foreach (string resource in WorkspaceServer.Resources)
        {
            (List<ObservedRow> listed, long sequence) = await ListAsync(resource, cancellationToken).ConfigureAwait(false);
            rows[resource] = listed;
            head = Math.Max(head, sequence);
        }

        return new ServerSnapshot(head, rows);
    }

    /// <summary>Lists every live row of one resource, page by page.</summary>
    /// <returns>The rows and the largest <c>seq</c> of the pages.</returns>
    public async Task<(List<ObservedRow> Rows, long Sequence)> ListAsync(string resource, CancellationToken cancellationToken = default)
    {
        var rows = new List<ObservedRow>();
        long sequence = 0;
        string? after = null;
        while (true)
        {
            string query = $"sync/{resource}?limit=500" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            using var request = new HttpRequestMessage(HttpMethod.Get, query);
            request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, ClientId);
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Listing {resource} as {ClientId} answered {(int)response.StatusCode}: {body}");
            }

            using JsonDocument page = JsonDocument.Parse(body);
            sequence = Math.Max(sequence, page.RootElement.GetProperty("seq").GetInt64());
            foreach (JsonElement item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                rows.Add(ReadRow(resource, item));
            }

            if (!page.RootElement.GetProperty("hasMore").GetBoolean() || rows.Count == 0)
            {
                return (rows, sequence);
            }

            after = rows[^1].Key;
        }
    }

    /// <summary>
    /// Reads a resource's change feed from after <paramref name="afterSequence"/> (0: the snapshot of
    /// <c>existing</c> events) up to the first heartbeat, which the server sends once it has nothing
    /// more to send. Run it against a server with a short heartbeat interval.
    /// </summary>
    public async Task<List<ObservedEvent>> ReadFeedAsync(string resource, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"sync/{resource}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation(SyncHeaderNames.ClientId, ClientId);
        if (afterSequence > 0)
        {
            request.Headers.TryAddWithoutValidation(SyncHeaderNames.LastEventId, afterSequence.ToString(CultureInfo.InvariantCulture));
        }

        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The feed of {resource} answered {(int)response.StatusCode} to {ClientId}.");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false));
        var events = new List<ObservedEvent>();
        long id = 0;
        string kind = "message";
        string? data = null;
        while (await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new ObservedEvent(id, kind, kind == "invalidate" ? null : ReadEventRow(resource, data)));
                }

                (kind, data) = ("message", null);
            }
            else if (line == ": heartbeat")
            {
                return events;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = data is null ? line[6..] : data + "\n" + line[6..];
            }
        }

        throw new IOException($"The feed of {resource} ended before its first heartbeat.");
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static ObservedRow ReadEventRow(string resource, string data)
    {
        using JsonDocument document = JsonDocument.Parse(data);
        return ReadRow(resource, document.RootElement);
    }

    private static ObservedRow ReadRow(string resource, JsonElement item)
    {
        ItemDescription? description = item.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object
            ? ItemDescription.Of(resource, JsonSerializer.SerializeToUtf8Bytes(data))
            : null;
        return new ObservedRow(
            resource,
            item.GetProperty("key").GetString()!,
            OptionalString(item, "originOptimisticKey"),
            OptionalString(item, "originClientId"),
            OptionalString(item, "version"),
            description);
    }

    private static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
