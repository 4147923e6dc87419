using System.Globalization;

namespace OfflineSync;

/// <summary>
/// Orders row versions when they can be ordered. A push answer or a conflict state can reach the
/// view after a newer feed event for the same row; when both versions are numbers (optionally
/// quoted or weak ETags, like <c>W/"7"</c>) the older state is not allowed to replace the newer one.
/// Opaque versions cannot be ordered, and the later arrival wins.
/// </summary>
internal static class VersionOrder
{
    public static bool IsOlder(string? incoming, string? current) =>
        TryParse(incoming, out long a) && TryParse(current, out long b) && a < b;

    private static bool TryParse(string? version, out long value)
    {
        value = 0;
        if (version is null)
        {
            return false;
        }

        ReadOnlySpan<char> span = version.AsSpan();
        if (span.StartsWith("W/", StringComparison.Ordinal))
        {
            span = span[2..];
        }

        span = span.Trim('"');
        return long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
