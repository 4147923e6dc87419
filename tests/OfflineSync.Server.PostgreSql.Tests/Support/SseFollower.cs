using System.Globalization;
using System.Text.Json;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>Follows one feed over a raw HTTP connection and keeps every event it receives: (id, event type, data).</summary>
internal sealed class SseFollower : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Id, string Type, JsonElement Data)> _events = [];
    private readonly Task _reading;

    private SseFollower(HttpClient http, string path, long after, string clientId) => _reading = ReadAsync(http, path, after, clientId, _stop.Token);

    public IReadOnlyList<(long Id, string Type, JsonElement Data)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static SseFollower Start(Uri server, string resource, long after = 0, string clientId = "follower") =>
        new(new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan }, $"sync/{resource}/events", after, clientId);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient http, string path, long after, string clientId, CancellationToken cancellationToken)
    {
        using (http)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("X-Client-Id", clientId);
            if (after > 0)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
            }

            try
            {
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                long id = 0;
                string type = "";
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        using JsonDocument data = JsonDocument.Parse(line[6..]);
                        lock (_events)
                        {
                            _events.Add((id, type, data.RootElement.Clone()));
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
