using System.Globalization;

namespace OfflineSync.Benchmarks.Server;

/// <summary>Collects durations from many threads and reports nearest-rank percentiles.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(milliseconds);
        }
    }

    /// <summary>Formats count, p50, p90, p99 and max, in milliseconds.</summary>
    public string Summary()
    {
        double[] sorted;
        lock (_milliseconds)
        {
            sorted = [.. _milliseconds];
        }

        if (sorted.Length == 0)
        {
            return "no samples";
        }

        Array.Sort(sorted);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"n={sorted.Length}  p50={Rank(sorted, 0.50):F1} ms  p90={Rank(sorted, 0.90):F1} ms  p99={Rank(sorted, 0.99):F1} ms  max={sorted[^1]:F1} ms");
    }

    private static double Rank(double[] sorted, double percentile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percentile * sorted.Length) - 1)];
}
