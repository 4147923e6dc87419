using System.ComponentModel;
using System.Globalization;

namespace OfflineSync;

/// <summary>Converts keys between their CLR types and the canonical string form used on the wire and in the queue.</summary>
/// <remarks><see cref="Guid"/> keys use format <c>"D"</c>; numbers use the invariant culture.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SyncKeys
{
    /// <summary>Formats a key.</summary>
    public static string Format(string key) => key;

    /// <summary>Formats a key.</summary>
    public static string Format(Guid key) => key.ToString("D");

    /// <summary>Formats a key.</summary>
    public static string Format(long key) => key.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a key.</summary>
    public static string Format(int key) => key.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a key of any supported type.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is not a supported key type.</exception>
    public static string Format<TKey>(TKey key)
        where TKey : notnull
    {
        if (typeof(TKey) == typeof(string)) return (string)(object)key;
        if (typeof(TKey) == typeof(Guid)) return Format((Guid)(object)key);
        if (typeof(TKey) == typeof(long)) return Format((long)(object)key);
        if (typeof(TKey) == typeof(int)) return Format((int)(object)key);
        throw UnsupportedKeyType(typeof(TKey));
    }

    /// <summary>Parses a key in canonical string form.</summary>
    /// <exception cref="FormatException"><paramref name="key"/> is not a valid key of type <typeparamref name="TKey"/>.</exception>
    public static TKey Parse<TKey>(string key)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(key);
        if (typeof(TKey) == typeof(string)) return (TKey)(object)key;
        if (typeof(TKey) == typeof(Guid)) return (TKey)(object)Guid.Parse(key);
        if (typeof(TKey) == typeof(long)) return (TKey)(object)long.Parse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (typeof(TKey) == typeof(int)) return (TKey)(object)int.Parse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        throw UnsupportedKeyType(typeof(TKey));
    }

    /// <summary>Returns whether <paramref name="key"/> is a valid canonical key of kind <paramref name="kind"/>.</summary>
    public static bool IsValid(SyncKeyKind kind, string? key) => key is not null && kind switch
    {
        SyncKeyKind.String => key.Length > 0,
        SyncKeyKind.Guid => Guid.TryParseExact(key, "D", out _),
        SyncKeyKind.Int64 => long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        SyncKeyKind.Int32 => int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static NotSupportedException UnsupportedKeyType(Type type) =>
        new($"'{type}' is not a supported key type; use string, Guid, long or int.");
}
