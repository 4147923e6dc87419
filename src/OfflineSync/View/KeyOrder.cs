using System.Globalization;

namespace OfflineSync;

/// <summary>Orders keys the way the server's list does: numerically for numeric keys, ordinally otherwise.</summary>
internal sealed class KeyOrder : IComparer<string>
{
    private readonly bool _numeric;

    private KeyOrder(bool numeric) => _numeric = numeric;

    public static KeyOrder For(SyncKeyKind kind) => new(kind is SyncKeyKind.Int64 or SyncKeyKind.Int32);

    public int Compare(string? x, string? y)
    {
        if (_numeric
            && long.TryParse(x, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long a)
            && long.TryParse(y, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long b))
        {
            return a.CompareTo(b);
        }

        return string.CompareOrdinal(x, y);
    }
}
