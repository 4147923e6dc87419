using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OfflineSync.Server.Endpoints;

namespace OfflineSync.Server.Json;

/// <summary>
/// Writes a JSON answer straight into the response as it is produced, sending it on every
/// <see cref="FlushThreshold"/> bytes: the answer is never held whole, and a client that reads slowly slows the
/// writer down (the response pipe's backpressure) instead of making the server buffer for it.
/// </summary>
internal sealed class StreamedJson : IAsyncDisposable
{
    /// <summary>How much is written before it is sent: large enough for few sends, small enough to hold.</summary>
    public const int FlushThreshold = 32 * 1024;

    private readonly PipeWriter _body;
    private readonly CancellationToken _cancellationToken;
    private long _sent;

    private StreamedJson(HttpContext context)
    {
        _body = context.Response.BodyWriter;
        _cancellationToken = context.RequestAborted;
        Writer = new Utf8JsonWriter(_body, ServerJson.WriterOptions);
    }

    /// <summary>Gets the writer of the answer.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Starts a 200 <c>application/json</c> answer without a length (it is sent in chunks).</summary>
    public static StreamedJson Start(HttpContext context)
    {
        HttpIo.Start(context.Response, StatusCodes.Status200OK, HttpIo.JsonContentType);
        return new StreamedJson(context);
    }

    /// <summary>Sends what was written once it reaches <see cref="FlushThreshold"/>; waits while the client is behind.</summary>
    public async ValueTask FlushIfDueAsync()
    {
        if (Writer.BytesCommitted + Writer.BytesPending - _sent >= FlushThreshold)
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends everything written so far.</summary>
    public async ValueTask FlushAsync()
    {
        Writer.Flush();
        _sent = Writer.BytesCommitted;
        await _body.FlushAsync(_cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync().ConfigureAwait(false);
    }
}
