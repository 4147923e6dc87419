using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace OfflineSync.Shared;

/// <summary>
/// The names the generator gives to what it emits, and the default resource name: one source, linked
/// into the generator and the analyzers (which report the collisions, OSYNC009), so the two never differ.
/// </summary>
internal static class SyncNaming
{
    /// <summary>
    /// The members the generator adds to an entity: a member of the entity with one of these names
    /// would not compile beside them (OSYNC009).
    /// </summary>
    public static readonly HashSet<string> EntityMembers = new(StringComparer.Ordinal)
    {
        "ResourceName", "KeyKind", "GetKey", "SetKey", "IsOptimisticKey", "GetVersion", "SetVersion",
        "JsonTypeInfo", "VisitReferences", "Diff", "ReadPatch", "CreateIdempotencyKey",
    };

    /// <summary>The members the generator adds to a patch type, which a patched property must not be named like (OSYNC009).</summary>
    public static readonly HashSet<string> PatchMembers = new(StringComparer.Ordinal)
    {
        "IsEmpty", "Merge", "ApplyTo", "Diff", "VisitReferences", "WriteTo", "Read",
    };

    /// <summary>The default resource name: the type name pluralized, then camelCased (<c>TodoItem</c> → <c>todoItems</c>).</summary>
    public static string DefaultResourceName(string typeName) => ToCamelCase(Pluralize(typeName));

    /// <summary>The patch type emitted beside the entity: <c>TodoPatch</c>.</summary>
    public static string PatchType(string entityName) => entityName + "Patch";

    /// <summary>The mutation records emitted beside the entity: <c>CreateTodo</c>, <c>UpdateTodo</c>, <c>DeleteTodo</c>, with the role each plays.</summary>
    public static IEnumerable<(string Name, string Role)> CompanionTypes(string entityName)
    {
        yield return (PatchType(entityName), "patch type");
        yield return ("Create" + entityName, "create mutation");
        yield return ("Update" + entityName, "update mutation");
        yield return ("Delete" + entityName, "delete mutation");
    }

    /// <summary>The typed set property of a <c>[SyncClient]</c>: <c>Todos</c>.</summary>
    public static string SetProperty(string entityName) => Pluralize(entityName);

    /// <summary>The typed set class nested in a <c>[SyncClient]</c>: <c>TodoSet</c>.</summary>
    public static string SetType(string entityName) => entityName + "Set";

    /// <summary>A member name as C# source spells it: a keyword (<c>@class</c>) keeps its <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>consonant + y → ies; s, x, z, ch, sh → es; anything else → s (Todo → Todos, Category → Categories, Box → Boxes, Day → Days).</summary>
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

    /// <summary>
    /// The conversion of <c>JsonNamingPolicy.CamelCase</c>, so generated JSON names match the runtime
    /// contract: a leading run of capitals is lowered, the last one kept when a word follows (<c>URLLink</c> → <c>urlLink</c>).
    /// </summary>
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
