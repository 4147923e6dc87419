using System;

namespace OfflineSync.Analyzers.Model;

/// <summary>
/// The default resource name of a <c>[Syncable]</c> type: the type name pluralized with simple English
/// rules, then camelCased (documented in docs/diagnostics.md#osync009; the generator uses the same rule).
/// </summary>
internal static class ResourceNames
{
    public static string Default(string typeName) => ToCamelCase(Pluralize(typeName));

    /// <summary>The conversion of <c>JsonNamingPolicy.CamelCase</c>: a leading run of capitals is lowered (<c>URLLink</c> → <c>urlLink</c>).</summary>
    public static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            // In "URLLink" the 'L' of "Link" starts the next word and keeps its capital.
            if (i > 0 && i + 1 < chars.Length && !char.IsUpper(chars[i + 1]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
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
