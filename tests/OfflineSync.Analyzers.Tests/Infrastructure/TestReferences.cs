using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace OfflineSync.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the running runtime and the OfflineSync assembly, so the tests never
/// download reference packs.
/// </summary>
internal static class TestReferences
{
    /// <summary>A reference set with no package: nothing to resolve, nothing to download.</summary>
    public static readonly ReferenceAssemblies NoPackages = new("net10.0-local");

    public static readonly ImmutableArray<MetadataReference> Runtime = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The host did not report TRUSTED_PLATFORM_ASSEMBLIES.");
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        IEnumerable<string> framework = trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal));
        return framework
            .Append(typeof(SyncableAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
