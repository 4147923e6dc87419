using Microsoft.CodeAnalysis;

namespace OfflineSync.Generators;

/// <summary>The well-known types the parser compares against, looked up once per transform.</summary>
internal sealed class KnownTypeSymbols
{
    public KnownTypeSymbols(Compilation compilation)
    {
        Compilation = compilation;
        SyncableAttribute = compilation.GetTypeByMetadataName("OfflineSync.SyncableAttribute");
        ReferencesAttribute = compilation.GetTypeByMetadataName("OfflineSync.ReferencesAttribute");
        SyncKeyAttribute = compilation.GetTypeByMetadataName("OfflineSync.SyncKeyAttribute");
        SyncVersionAttribute = compilation.GetTypeByMetadataName("OfflineSync.SyncVersionAttribute");
        SyncIgnoreAttribute = compilation.GetTypeByMetadataName("OfflineSync.SyncIgnoreAttribute");
        JsonIgnoreAttribute = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonIgnoreAttribute");
        JsonPropertyNameAttribute = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonPropertyNameAttribute");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        IList = compilation.GetTypeByMetadataName("System.Collections.Generic.IList`1");
        HashSet = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
        TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? SyncableAttribute { get; }

    public INamedTypeSymbol? ReferencesAttribute { get; }

    public INamedTypeSymbol? SyncKeyAttribute { get; }

    public INamedTypeSymbol? SyncVersionAttribute { get; }

    public INamedTypeSymbol? SyncIgnoreAttribute { get; }

    public INamedTypeSymbol? JsonIgnoreAttribute { get; }

    public INamedTypeSymbol? JsonPropertyNameAttribute { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? IList { get; }

    public INamedTypeSymbol? HashSet { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateOnly { get; }

    public INamedTypeSymbol? TimeOnly { get; }
}
