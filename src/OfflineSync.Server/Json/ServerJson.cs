using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Server.Json;

/// <summary>
/// How the server writes JSON: stored rows and every answer. Strings are escaped as JSON requires (<c>"</c>, <c>\</c>,
/// control characters) and no more: the default encoder also writes each of <c>&lt;&gt;&amp;'"</c> and every non-ASCII
/// character as a six-byte <c>\uXXXX</c>, so a row of such characters stored, listed and sent in every feed event
/// took six times its size.
/// </summary>
/// <remarks>
/// That extra escaping exists for JSON embedded in HTML. The server's JSON never is: answers are
/// <c>application/json</c>, <c>application/problem+json</c> or <c>text/event-stream</c>, each sent with
/// <c>X-Content-Type-Options: nosniff</c> so no browser reads them as HTML, and a client that puts a row into a page
/// escapes it for the page as it must with any text. So the relaxed encoder is safe here; the output is UTF-8 JSON that
/// any parser reads, and lines of it never hold a raw line break (control characters stay escaped), which keeps every
/// feed event's <c>data:</c> one line.
/// </remarks>
internal static class ServerJson
{
    /// <summary>Gets the options of every <see cref="Utf8JsonWriter"/> of the server.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes an entity as a stored row.</summary>
    public static byte[] SerializeRow<T>(T entity, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            // Through a writer of its own the serializer takes the writer's encoder, not the contract's.
            JsonSerializer.Serialize(writer, entity, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
