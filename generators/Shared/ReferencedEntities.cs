using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Shared;

/// <summary>
/// The <c>[Syncable]</c> types of referenced assemblies. The generator lists each entity of an assembly in an
/// <c>[assembly: SyncableType(typeof(X))]</c> attribute, so a <c>[SyncClient]</c> in another assembly reads a few
/// assembly attributes instead of walking every type of every reference.
/// </summary>
internal static class ReferencedEntities
{
    /// <summary>The listed entities of every referenced assembly that this compilation can see, in reference order.</summary>
    public static IEnumerable<INamedTypeSymbol> Find(SyncSymbols symbols)
    {
        if (symbols.SyncableType is null)
        {
            yield break;
        }

        foreach (IAssemblySymbol assembly in symbols.Compilation.SourceModule.ReferencedAssemblySymbols)
        {
            foreach (AttributeData attribute in assembly.GetAttributes())
            {
                if (SyncSymbols.Is(attribute.AttributeClass, symbols.SyncableType)
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is INamedTypeSymbol { TypeKind: not TypeKind.Error } entity
                    && symbols.IsAccessibleInAssembly(entity)
                    && symbols.IsSyncable(entity))
                {
                    yield return entity;
                }
            }
        }
    }
}
