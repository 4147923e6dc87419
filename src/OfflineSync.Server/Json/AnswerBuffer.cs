using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using OfflineSync.Server.Endpoints;

namespace OfflineSync.Server.Json;

/// <summary>
/// Holds an answer computed inside a write transaction until the transaction commits, in pooled segments (no copy that
/// doubles as it grows). The answer is not streamed from inside the transaction: a client that reads slowly would then
/// hold the store's writer (SQLite has one) while it reads. Its size is bounded by the caller
/// (<see cref="SyncServerOptions.MaxBatchAnswerBytes"/>).
/// </summary>
internal sealed class AnswerBuffer : IDisposable
{
    // Never flushed while written: the writer never waits, and everything written is read once the writer completes.
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

    /// <summary>Gets where the answer is written.</summary>
    public IBufferWriter<byte> Writer => _pipe.Writer;

    /// <summary>Sends the answer as a 200 <c>application/json</c> response with its length.</summary>
    public async Task WriteToAsync(HttpContext context)
    {
        await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
        ReadResult read = await _pipe.Reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        ReadOnlySequence<byte> answer = read.Buffer;
        HttpResponse response = context.Response;
        HttpIo.Start(response, StatusCodes.Status200OK, HttpIo.JsonContentType);
        response.ContentLength = answer.Length;
        foreach (ReadOnlyMemory<byte> segment in answer)
        {
            await response.Body.WriteAsync(segment, context.RequestAborted).ConfigureAwait(false);
        }

        _pipe.Reader.AdvanceTo(answer.End);
    }

    /// <summary>Returns the segments to the pool, whether or not the answer was sent.</summary>
    public void Dispose()
    {
        _pipe.Writer.Complete();
        _pipe.Reader.Complete();
    }
}
