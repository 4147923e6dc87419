using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace OfflineSync.Generators;

/// <summary>The naming rules of generated members: English plurals and System.Text.Json's camelCase.</summary>
internal static class Naming
{
    /// <summary>
    /// The members the emitter adds to an entity: a member of the entity with one of these names
    /// would not compile beside them (OSYNC009, the same list as the analyzers' <c>GeneratedMembers</c>).
    /// </summary>
    public static readonly HashSet<string> EntityMembers = new(StringComparer.Ordinal)
    {
        "ResourceName", "KeyKind", "GetKey", "SetKey", "IsOptimisticKey", "GetVersion", "SetVersion",
        "JsonTypeInfo", "VisitReferences", "Diff", "ReadPatch", "CreateIdempotencyKey",
    };

    /// <summary>The members the emitter adds to a patch type, which a patched property must not be named like (OSYNC009).</summary>
    public static readonly HashSet<string> PatchMembers = new(StringComparer.Ordinal)
    {
        "IsEmpty", "Merge", "ApplyTo", "Diff", "VisitReferences", "WriteTo", "Read",
    };

    /// <summary>Todo → Todos, Category → Categories, Box → Boxes, Day → Days.</summary>
    public static string Pluralize(string name)
    {
        if (name.Length > 1 && name.EndsWith("y", StringComparison.Ordinal) && "aeiouAEIOU".IndexOf(name[name.Length - 2]) < 0)
        {
            return name.Substring(0, name.Length - 1) + "ies";
        }

        if (name.EndsWith("s", StringComparison.Ordinal) || name.EndsWith("x", StringComparison.Ordinal) || name.EndsWith("z", StringComparison.Ordinal)
            || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal))
        {
            return name + "es";
        }

        return name + "s";
    }

    /// <summary>A member name as C# source spells it: a keyword (<c>@class</c>) keeps its <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The same conversion as <c>JsonNamingPolicy.CamelCase</c>, so patch JSON names match the entity's.</summary>
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

            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }
}
