using Microsoft.AspNetCore.Http;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// Runs a handler and sorts what escapes it: a client that went away (hung up mid-upload, reset the
/// connection, cancelled) is logged at Debug and not answered; a request Kestrel refused while the body
/// was read is answered with its status as problem details; anything else is a server fault, logged with
/// its stack trace and answered 500 when the answer has not started.
/// </summary>
internal static class Guard
{
    public static async Task RunAsync(SyncServerState state, HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (Exception e) when (IsClientGone(context, e))
        {
            Log.ClientGone(state.Logger, context.Request.Method, context.Request.Path, e.GetType().Name + ": " + e.Message);
        }
        catch (BadHttpRequestException e)
        {
            Log.RequestRejected(state.Logger, context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
            await TryAnswerAsync(state, context, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? SyncProblem.TooLarge(state.Options.MaxRequestBodySize)
                : SyncProblem.BadRequest(e.StatusCode, e.Message)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RequestFailed(state.Logger, e, context.Request.Method, context.Request.Path);
            await TryAnswerAsync(state, context, SyncProblem.Internal("The server could not process the request; see the server log.")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A cancelled request, or an I/O failure of the connection (Kestrel's <c>ConnectionResetException</c>,
    /// a body cut short because the peer closed) once the request is aborted. A <see cref="BadHttpRequestException"/>
    /// while the connection is still up is a refusal to answer, not a departure.
    /// </summary>
    private static bool IsClientGone(HttpContext context, Exception e) => e switch
    {
        OperationCanceledException => context.RequestAborted.IsCancellationRequested,
        BadHttpRequestException => context.RequestAborted.IsCancellationRequested,
        IOException => true,
        _ => false,
    };

    private static async Task TryAnswerAsync(SyncServerState state, HttpContext context, SyncProblem problem)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            context.Response.Clear();
            await HttpIo.WriteProblemAsync(context, problem).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            Log.ClientGone(state.Logger, context.Request.Method, context.Request.Path, e.GetType().Name + ": " + e.Message);
        }
    }
}
