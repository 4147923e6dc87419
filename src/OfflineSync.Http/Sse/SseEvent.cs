namespace OfflineSync.Http.Sse;

/// <summary>One dispatched Server-Sent Event.</summary>
/// <param name="Type">The <c>event</c> field, or <c>message</c> when the event had none.</param>
/// <param name="Data">The <c>data</c> lines joined with <c>\n</c>, as UTF-8.</param>
/// <param name="Id">The last event id in effect when the event was dispatched (ids persist across events).</param>
internal readonly record struct SseEvent(string Type, byte[] Data, string? Id);
