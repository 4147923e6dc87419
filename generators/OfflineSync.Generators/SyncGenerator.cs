using Microsoft.CodeAnalysis;

namespace OfflineSync.Generators;

/// <summary>Emits the sync members of every [Syncable] type and the typed sets of every [SyncClient].</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SyncGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
