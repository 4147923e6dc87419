using System;

namespace OfflineSync.Analyzers.Model;

/// <summary>
/// The default resource name of a <c>[Syncable]</c> type: the type name in camelCase, pluralized with
/// simple English rules (documented in docs/diagnostics.md#osync009; the generator uses the same rule).
/// </summary>
internal static class ResourceNames
{
    public static string Default(string typeName)
    {
        if (typeName.Length == 0)
        {
            return typeName;
        }

        string camel = char.ToLowerInvariant(typeName[0]) + typeName.Substring(1);
        return Pluralize(camel);
    }

    /// <summary>consonant + y → ies; s, x, z, ch, sh → es; anything else → s.</summary>
    public static string Pluralize(string word)
    {
        if (word.Length >= 2 && word[word.Length - 1] == 'y' && !IsVowel(word[word.Length - 2]))
        {
            return word.Substring(0, word.Length - 1) + "ies";
        }

        if (word.EndsWith("s", StringComparison.Ordinal)
            || word.EndsWith("x", StringComparison.Ordinal)
            || word.EndsWith("z", StringComparison.Ordinal)
            || word.EndsWith("ch", StringComparison.Ordinal)
            || word.EndsWith("sh", StringComparison.Ordinal))
        {
            return word + "es";
        }

        return word + "s";
    }

    private static bool IsVowel(char c) => "aeiouAEIOU".IndexOf(c) >= 0;
}
