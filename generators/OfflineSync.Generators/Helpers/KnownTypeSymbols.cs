using Microsoft.CodeAnalysis;
using OfflineSync.Shared;

namespace OfflineSync.Generators;

/// <summary>The well-known types the parser compares against, looked up once per transform: the shared ones and those of JSON classification.</summary>
internal sealed class KnownTypeSymbols : SyncSymbols
{
    public KnownTypeSymbols(Compilation compilation)
        : base(compilation)
    {
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
        TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");
    }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateOnly { get; }

    public INamedTypeSymbol? TimeOnly { get; }
}
