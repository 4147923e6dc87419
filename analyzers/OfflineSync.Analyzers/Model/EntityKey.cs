using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

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

/// <summary>The key of a <c>[Syncable]</c> type as the generator finds it (<see cref="EntityRules.FindKey"/>), with what is wrong with it.</summary>
internal readonly struct EntityKey
{
    private EntityKey(IPropertySymbol? property, KeyProblem problem, string detail, WriteAccess write = WriteAccess.Direct)
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
    public WriteAccess Write { get; }

    /// <summary>The key type when the key is usable (string, Guid, long or int), else null.</summary>
    public ITypeSymbol? UsableType => Problem == KeyProblem.None ? Property!.Type : null;

    public static EntityKey Find(INamedTypeSymbol entity, KnownSymbols known)
    {
        KeyCandidates candidates = EntityRules.FindKey(entity, known);
        if (candidates.IsAmbiguous)
        {
            return new EntityKey(null, KeyProblem.Ambiguous, string.Join(", ", candidates.Marked.ConvertAll(p => p.Name)));
        }

        if (candidates.Key is not { } key)
        {
            return new EntityKey(null, KeyProblem.Missing, string.Empty);
        }

        if (EntityRules.GetKeyKind(key.Type, known) is null)
        {
            return new EntityKey(key, KeyProblem.UnsupportedType, string.Empty);
        }

        WriteAccess write = MemberAccess.GetWriteAccess(key, known);
        return MemberAccess.IsWritable(write)
            ? new EntityKey(key, KeyProblem.None, string.Empty)
            : new EntityKey(key, KeyProblem.NotWritable, string.Empty, write);
    }
}
