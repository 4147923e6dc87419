using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server.Endpoints;

/// <summary>
/// The HTTP answer to a single create, update, delete or read, computed from its outcome before the write
/// transaction commits: a header value that cannot be sent then rolls the write back (and the client's
/// retry meets the same refusal) instead of failing every answer after a commit.
/// </summary>
internal sealed class MutationAnswer
{
    private readonly MutationOutcome _outcome;
    private readonly List<KeyValuePair<string, string>> _headers = new(6);

    private MutationAnswer(MutationOutcome outcome) => _outcome = outcome;

    /// <summary>Computes the answer's headers and checks that each can be sent.</summary>
    /// <param name="pathBase">The request's path base, for <c>Location</c>.</param>
    /// <param name="resource">The resource name.</param>
    /// <param name="outcome">The outcome.</param>
    /// <exception cref="InvalidOperationException">A header value is not printable ASCII; inside a write transaction this rolls it back.</exception>
    public static MutationAnswer From(PathString pathBase, string resource, MutationOutcome outcome)
    {
        var answer = new MutationAnswer(outcome);
        if (outcome.Problem is { } problem)
        {
            if (problem.CurrentVersion is long current)
            {
                answer.Add(HeaderNames.ETag, HttpIo.FormatETag(current));
            }

            return answer;
        }

        if (outcome.Key is { } key)
        {
            answer.Add(SyncHeaderNames.SyncKey, key);
            if (outcome.Status == StatusCodes.Status201Created)
            {
                answer.Add(HeaderNames.Location, $"{pathBase}/{SyncRoutes.Root}/{resource}/{Uri.EscapeDataString(key)}");
            }
        }

        if (outcome.OptimisticKey is { } optimistic)
        {
            answer.Add(SyncHeaderNames.OptimisticId, optimistic);
        }

        if (outcome.Version is long version)
        {
            answer.Add(HeaderNames.ETag, HttpIo.FormatETag(version));
        }

        if (outcome.Replayed)
        {
            answer.Add(SyncHeaderNames.Replayed, "true");
        }

        return answer;
    }

    public async Task WriteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        foreach ((string name, string value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (_outcome.Problem is { } problem)
        {
            await HttpIo.WriteProblemAsync(context, problem).ConfigureAwait(false);
            return;
        }

        if (_outcome.Body is { } body && _outcome.Status != StatusCodes.Status204NoContent)
        {
            HttpIo.Start(response, _outcome.Status, HttpIo.JsonContentType);
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.StatusCode = _outcome.Status;
        }
    }

    private void Add(string name, string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new InvalidOperationException($"The answer's {name} header would hold a character outside printable ASCII (U+{(int)c:X4}); the write is rolled back.");
            }
        }

        _headers.Add(new(name, value));
    }
}
