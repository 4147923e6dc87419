using System.Diagnostics.Metrics;
using OfflineSync.Protocol;
using OfflineSync.Server.Resources;

namespace OfflineSync.Server;

/// <summary>
/// The server's metrics: a Meter named <see cref="SyncDiagnostics.ServerMeterName"/>, from the host's
/// <see cref="IMeterFactory"/> when there is one. Instruments and tags are listed in docs/observability.md.
/// </summary>
internal sealed class ServerTelemetry : IDisposable
{
    // Tag values are the protocol's lower-case words, made once: recording allocates nothing.
    private static readonly string[] s_kinds = ["create", "update", "delete"];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _mutations;
    private readonly Counter<long> _problems;

    public ServerTelemetry(IMeterFactory? meterFactory)
    {
        // As the client's OwnedMeter (internal to OfflineSync, which this assembly cannot see): the factory's meter is the factory's to dispose.
        var options = new MeterOptions(SyncDiagnostics.ServerMeterName) { Version = typeof(ServerTelemetry).Assembly.GetName().Version?.ToString() };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _mutations = _meter.CreateCounter<long>("offlinesync.server.mutations", "{mutation}", "Mutations answered, by resource, kind and outcome (applied, replayed, conflict, rejected).");
        _problems = _meter.CreateCounter<long>("offlinesync.server.problems", "{response}", "Requests answered with problem details, by status and problem code.");
    }

    /// <summary>Counts a mutation whose answer was committed (a single write, or one item of a batch).</summary>
    public void Mutation(string resource, MutationKind kind, MutationOutcome outcome)
    {
        if (!_mutations.Enabled)
        {
            return;
        }

        string result = outcome.Replayed ? "replayed"
            : outcome.IsSuccess ? "applied"
            : outcome.Status == 409 ? "conflict"
            : "rejected";
        _mutations.Add(
            1,
            new KeyValuePair<string, object?>("resource", resource),
            new KeyValuePair<string, object?>("kind", s_kinds[(int)kind]),
            new KeyValuePair<string, object?>("outcome", result));
    }

    /// <summary>Counts a problem-details answer.</summary>
    public void Problem(SyncProblem problem)
    {
        if (_problems.Enabled)
        {
            _problems.Add(1, new KeyValuePair<string, object?>("http.response.status_code", problem.Status), new KeyValuePair<string, object?>("code", Code(problem)));
        }
    }

    /// <summary>Gets the problem's code, its type without <see cref="SyncProblemTypes.Prefix"/>: <c>invalid_body</c>, <c>too_many_feeds</c>.</summary>
    public static string Code(SyncProblem problem) =>
        problem.Type.StartsWith(SyncProblemTypes.Prefix, StringComparison.Ordinal) ? problem.Type[SyncProblemTypes.Prefix.Length..] : problem.Type;

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
