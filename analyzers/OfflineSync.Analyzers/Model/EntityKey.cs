using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers.Model;

/// <summary>What is wrong with an entity's key, if anything.</summary>
internal enum KeyProblem
{
    None,
    Missing,
    Ambiguous,
    UnsupportedType,
    NotWritable,
}

/// <summary>The key of a <c>[Syncable]</c> type: the <c>[SyncKey]</c> property, else the property named <c>Id</c>.</summary>
internal readonly struct EntityKey
{
    private EntityKey(IPropertySymbol? property, KeyProblem problem, string detail, WriteProblem write = WriteProblem.None)
    {
        Property = property;
        Problem = problem;
        Detail = detail;
        Write = write;
    }

    public IPropertySymbol? Property { get; }

    public KeyProblem Problem { get; }

    /// <summary>For <see cref="KeyProblem.Ambiguous"/> the competing names.</summary>
    public string Detail { get; }

    /// <summary>For <see cref="KeyProblem.NotWritable"/> why the key cannot be set.</summary>
    public WriteProblem Write { get; }

    /// <summary>The key type when the key is usable (string, Guid, long or int), else null.</summary>
    public ITypeSymbol? UsableType => Problem == KeyProblem.None ? Property!.Type : null;

    public static EntityKey Find(INamedTypeSymbol entity, KnownSymbols known)
    {
        var marked = new List<IPropertySymbol>();
        IPropertySymbol? named = null;
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                // Most derived first: an override hides the property it overrides.
                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property || !seen.Add(property.Name))
                {
                    continue;
                }

                if (known.HasSyncKey(property))
                {
                    marked.Add(property);
                }
                else if (property.Name == "Id")
                {
                    named = property;
                }
            }
        }

        if (marked.Count > 1)
        {
            return new EntityKey(null, KeyProblem.Ambiguous, string.Join(", ", marked.ConvertAll(p => p.Name)));
        }

        IPropertySymbol? key = marked.Count == 1 ? marked[0] : named;
        if (key is null)
        {
            return new EntityKey(null, KeyProblem.Missing, string.Empty);
        }

        if (!IsSupportedKeyType(key.Type))
        {
            return new EntityKey(key, KeyProblem.UnsupportedType, string.Empty);
        }

        WriteProblem write = Writability.Check(key, known);
        return write == WriteProblem.None
            ? new EntityKey(key, KeyProblem.None, string.Empty)
            : new EntityKey(key, KeyProblem.NotWritable, string.Empty, write);
    }

    /// <summary>string, Guid, long or int (DESIGN §2).</summary>
    public static bool IsSupportedKeyType(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_String or SpecialType.System_Int64 or SpecialType.System_Int32 || IsGuid(type);

    public static bool IsGuid(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}
