using System.Text;
using System.Text.Json;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Protocol;

namespace OfflineSync.EndToEnd.Tests.Hostile;

/// <summary>
/// The hostile client: no engine, no transport, just requests written over a socket with whatever
/// headers and bodies it likes, under its own <c>X-Client-Id</c> unless it sends another.
/// </summary>
internal sealed class Mallory(Uri server, string clientId = "mallory")
{
    public string ClientId { get; } = clientId;

    /// <summary>Sends a request as Mallory: <c>X-Client-Id</c> and a JSON content type are added unless <paramref name="headers"/> names them.</summary>
    public Task<RawResponse> SendAsync(string method, string target, string? json = null, params (string Name, string Value)[] headers) =>
        SendAsync(method, target, json is null ? null : Encoding.UTF8.GetBytes(json), headers);

    public Task<RawResponse> SendAsync(string method, string target, byte[]? body, params (string Name, string Value)[] headers)
    {
        var all = new List<(string Name, string Value)>(headers);
        if (!all.Any(static h => h.Name.Equals(SyncHeaderNames.ClientId, StringComparison.OrdinalIgnoreCase)))
        {
            all.Add((SyncHeaderNames.ClientId, ClientId));
        }

        return SendAnonymouslyAsync(method, target, body, [.. all]);
    }

    /// <summary>Sends a request without <c>X-Client-Id</c> unless <paramref name="headers"/> names one; a JSON content type is added for a body.</summary>
    public Task<RawResponse> SendAnonymouslyAsync(string method, string target, byte[]? body, params (string Name, string Value)[] headers)
    {
        var all = new List<(string Name, string Value)>(headers);
        if (body is not null && !all.Any(static h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            all.Add(("Content-Type", "application/json; charset=utf-8"));
        }

        return RawHttp.SendAsync(server, RawHttp.Request(method, target, all, body));
    }

    /// <summary>Creates a row of its own and returns its key.</summary>
    public async Task<string> CreateAsync(string resource, object entity, string idempotencyKey)
    {
        RawResponse response = await SendAsync("POST", $"/sync/{resource}", JsonSerializer.Serialize(entity), (SyncHeaderNames.IdempotencyKey, idempotencyKey));
        Assert.True(response.Status == 201, $"Mallory's own create answered {response}");
        return response.Header(SyncHeaderNames.SyncKey)!;
    }
}
