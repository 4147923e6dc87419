using System.Text.Json;
using OfflineSync.EndToEnd.Tests.Support;
using OfflineSync.Protocol;
using OfflineSync.TestModel.Observation;

namespace OfflineSync.EndToEnd.Tests.Hostile;

/// <summary>
/// Issue 11, items 5 and 8: keys and origins are validated at the door (printable ASCII without
/// spaces, at most <see cref="SyncLimits.MaxKeyLength"/> characters; client ids and idempotency keys
/// likewise), <c>null</c> is no key, and a write that is not JSON is 415. A refused request is a 4xx
/// and stores nothing: no row, no change, no idempotency record.
/// </summary>
public sealed class PoisonedInputTests
{
    private static readonly string LongKey = new('k', 20_000);

    public static TheoryData<string> Cases => new(Poisons.Keys);

    /// <summary>The requests, by name. <c>{sheet}</c> in a target is an existing sheet's key.</summary>
    private static Dictionary<string, Poison> Poisons { get; } = new Poison[]
    {
        Create("body key with CR/LF", "sheets", """{"id":"bad\r\nkey","title":"poison"}"""),
        Create("body key non-ASCII", "sheets", """{"id":"ключ","title":"poison"}"""),
        Create("body key with a space", "sheets", """{"id":"two words","title":"poison"}"""),
        Create("body key with a control character", "sheets", """{"id":"a\u0007b","title":"poison"}"""),
        Create("body key of 20,000 characters", "sheets", $$"""{"id":"{{LongKey}}","title":"poison"}"""),
        Create("body key one over the limit", "sheets", $$"""{"id":"{{new string('k', SyncLimits.MaxKeyLength + 1)}}","title":"poison"}"""),
        Create("int key out of range", "cards", """{"id":99999999999,"title":"poison"}"""),
        Create("origin header non-ASCII", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.OptimisticId, "optimistic_ключ")),
        Create("origin header with DEL", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.OptimisticId, "optimistic_a\u007Fb")),
        Create("origin header of 20,000 characters", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.OptimisticId, "optimistic_" + LongKey)),
        Create("null in a key list", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison","linkedSheetIds":[null]}"""),
        Create("client id non-ASCII", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.ClientId, "маллори")),
        Create("client id over the limit", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.ClientId, new string('m', SyncLimits.MaxClientIdLength + 1))),
        Create("idempotency key non-ASCII", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.IdempotencyKey, "ключ")) with { IdempotencyKey = null },
        Create("idempotency key over the limit", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.IdempotencyKey, new string('i', SyncLimits.MaxIdempotencyKeyLength + 1))) with { IdempotencyKey = null },
        Create("idempotency key with a space", "sheets", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}""", (SyncHeaderNames.IdempotencyKey, "two words")) with { IdempotencyKey = null },
        Write("update of a key with CR/LF", "PATCH", "/sync/sheets/bad%0D%0Akey", """{"title":"poison"}"""),
        Write("update of a non-ASCII key", "PATCH", "/sync/sheets/%D0%BA%D0%BB%D1%8E%D1%87", """{"title":"poison"}"""),
        Write("update of a key of 20,000 characters", "PATCH", "/sync/sheets/" + LongKey, """{"title":"poison"}"""),
        Write("update with null in a key list", "PATCH", "/sync/sheets/{sheet}", """{"linkedSheetIds":[null]}"""),
        Write("delete of a key with CR/LF", "DELETE", "/sync/sheets/bad%0D%0Akey", null),
        Write("delete of a non-ASCII key", "DELETE", "/sync/sheets/%D0%BA%D0%BB%D1%8E%D1%87", null),
        Batch("batch item key with CR/LF", """{"resource":"sheets","kind":"create","key":"bad\r\nkey","idempotencyKey":"poison:batch","clientId":"mallory","data":{"id":"bad\r\nkey","title":"poison"}}"""),
        Batch("batch origin non-ASCII", """{"resource":"sheets","kind":"create","key":"optimistic_ключ","optimisticKey":"optimistic_ключ","idempotencyKey":"poison:batch","clientId":"mallory","data":{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}}"""),
        Batch("batch idempotency key over the limit", $$$"""{"resource":"sheets","kind":"create","key":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","idempotencyKey":"{{{new string('i', SyncLimits.MaxIdempotencyKeyLength + 1)}}}","clientId":"mallory","data":{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}}""") with { IdempotencyKey = null },
        Batch("batch item of another client", """{"resource":"sheets","kind":"create","key":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","idempotencyKey":"poison:batch","clientId":"alice","data":{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}}"""),
        Batch("batch update of a null key", """{"resource":"sheets","kind":"update","key":null,"idempotencyKey":"poison:batch","clientId":"mallory","data":{"title":"poison"}}"""),
        Batch("batch null in a key list", """{"resource":"sheets","kind":"create","key":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","idempotencyKey":"poison:batch","clientId":"mallory","data":{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison","linkedSheetIds":["{sheet}",null]}}"""),
        NotJson("create as text/plain", "POST", "/sync/sheets", "text/plain", """{"id":"optimistic_01M8SCB1XW2171WVA65PE9ATS4","title":"poison"}"""),
        NotJson("create as a form", "POST", "/sync/sheets", "application/x-www-form-urlencoded", "id=optimistic_01M8SCB1XW2171WVA65PE9ATS4&title=poison"),
        NotJson("update as text/plain", "PATCH", "/sync/sheets/{sheet}", "text/plain", """{"title":"poison"}"""),
        NotJson("batch as text/plain", "POST", "/sync/batch", "text/plain", """{"mutations":[{"resource":"sheets","kind":"update","key":"{sheet}","idempotencyKey":"poison:batch","clientId":"mallory","data":{"title":"poison"}}]}"""),
    }.ToDictionary(static p => p.Name);

    [Theory] // DESIGN §6: bad input is a 4xx before any commit; issue 11, items 5 and 8
    [MemberData(nameof(Cases))]
    public async Task PoisonedRequest_IsRefusedWith4xx_AndStoresNothing(string name)
    {
        Poison poison = Poisons[name];
        await using WorkspaceCluster cluster = await WorkspaceCluster.StartAsync();
        var mallory = new Mallory(cluster.Server.Address);
        string sheet = await mallory.CreateAsync("sheets", new { id = "optimistic_01M8SC0000000000000000000A", title = "mallory's sheet" }, "mallory:1");
        ServerSnapshot before = await cluster.SnapshotAsync();

        RawResponse response = await mallory.SendAsync(
            poison.Method,
            poison.Target.Replace("{sheet}", sheet, StringComparison.Ordinal),
            poison.Body?.Replace("{sheet}", sheet, StringComparison.Ordinal),
            [.. poison.Headers, .. poison.IdempotencyKey is null || poison.Target == "/sync/batch" ? [] : new[] { (SyncHeaderNames.IdempotencyKey, poison.IdempotencyKey) }]);

        if (poison.Status is int exact)
        {
            Assert.True(response.Status == exact, $"Expected {exact}, got {response}");
        }
        else if (poison.Target == "/sync/batch" && response.Status == 200)
        {
            // A batch reports a refused item in its result (the batch itself was readable); the item is a 4xx problem.
            JsonElement result = Assert.Single(JsonDocument.Parse(response.Body).RootElement.GetProperty("results").EnumerateArray());
            int status = result.GetProperty("status").GetInt32();
            Assert.True(status is >= 400 and < 500 && result.TryGetProperty("problem", out _), $"The poisoned batch item was answered {result}");
        }
        else
        {
            Assert.True(response.Status is >= 400 and < 500, $"Expected a 4xx, got {response}");
        }

        if (poison.ProblemDetails && response.Status != 200)
        {
            Assert.True(response.Header("Content-Type")?.StartsWith("application/problem+json", StringComparison.Ordinal) == true, $"Expected problem details, got {response}");
        }

        ServerSnapshot after = await cluster.SnapshotAsync();
        Assert.Equal(before.Fingerprint(), after.Fingerprint());

        // No idempotency record was stored for the refused request: its key is free for a good one.
        if (poison.IdempotencyKey is { } key)
        {
            RawResponse good = await mallory.SendAsync("POST", "/sync/boards", """{"id":-1,"title":"good"}""", (SyncHeaderNames.IdempotencyKey, key));
            Assert.True(good.Status == 201 && good.Header(SyncHeaderNames.Replayed) is null, $"A good request with the refused request's idempotency key answered {good}");
        }
    }

    private static Poison Create(string name, string resource, string body, params (string, string)[] headers) =>
        new(name, "POST", $"/sync/{resource}", body, headers, Status: null, ProblemDetails: true, IdempotencyKey: "poison:1");

    private static Poison Write(string name, string method, string target, string? body) =>
        new(name, method, target, body, [], Status: null, ProblemDetails: !target.Contains(LongKey, StringComparison.Ordinal), IdempotencyKey: "poison:1");

    private static Poison Batch(string name, string item) =>
        new(name, "POST", "/sync/batch", $$"""{"mutations":[{{item}}]}""", [], Status: null, ProblemDetails: true, IdempotencyKey: "poison:batch");

    private static Poison NotJson(string name, string method, string target, string contentType, string body) =>
        new(name, method, target, body, [("Content-Type", contentType)], Status: 415, ProblemDetails: true, IdempotencyKey: target == "/sync/batch" ? "poison:batch" : "poison:1");

    /// <summary>A hostile request and what its refusal must look like.</summary>
    /// <param name="Name">The case's name.</param>
    /// <param name="Method">The HTTP method.</param>
    /// <param name="Target">The request target as sent.</param>
    /// <param name="Body">The body, or <see langword="null"/>.</param>
    /// <param name="Headers">Headers besides <c>X-Client-Id</c>, the JSON content type and the idempotency key, which are added unless named here.</param>
    /// <param name="Status">The exact status expected, or <see langword="null"/> for any 4xx.</param>
    /// <param name="ProblemDetails">Whether the answer must be RFC 9457 problem details (every refusal the endpoints make).</param>
    /// <param name="IdempotencyKey">The idempotency key the request carries, checked afterwards to be free; <see langword="null"/> when the key itself is the poison.</param>
    private sealed record Poison(string Name, string Method, string Target, string? Body, (string Name, string Value)[] Headers, int? Status, bool ProblemDetails, string? IdempotencyKey);
}
