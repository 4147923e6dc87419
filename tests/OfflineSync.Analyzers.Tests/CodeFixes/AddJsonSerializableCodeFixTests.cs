using OfflineSync.Analyzers.Tests.Infrastructure;
using OfflineSync.Analyzers.Tests.Rules;
using OfflineSync.CodeFixes;

namespace OfflineSync.Analyzers.Tests.CodeFixes;

/// <summary>OSYNC010 fix: the entity gets source-generated JSON metadata, in the project's context or a new one.</summary>
public sealed class AddJsonSerializableCodeFixTests
{
    [Fact]
    public Task EntityMissingFromTheContext_IsAddedToIt()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using OfflineSync;

            namespace Shop
            {
                [Syncable]
                public partial class Todo
                {
                    public string Id { get; set; } = "";
                }

                [Syncable]
                public partial class {|OSYNC010:Note|}
                {
                    public string Id { get; set; } = "";
                }

                [JsonSerializable(typeof(Todo))]
                internal partial class AppJsonContext : JsonSerializerContext
                {
                }

            """ + Osync010JsonMetadataTests.ContextMembers + "\n}\n";
        const string fixedSource = """
            using System.Text.Json.Serialization;
            using OfflineSync;

            namespace Shop
            {
                [Syncable]
                public partial class Todo
                {
                    public string Id { get; set; } = "";
                }

                [Syncable]
                public partial class Note
                {
                    public string Id { get; set; } = "";
                }

                [JsonSerializable(typeof(Todo))]
                [JsonSerializable(typeof(Note))]
                internal partial class AppJsonContext : JsonSerializerContext
                {
                }

            """ + Osync010JsonMetadataTests.ContextMembers + "\n}\n";

        return Verify.CodeFixAsync<AddJsonSerializableCodeFixProvider>(source, fixedSource, new Verify.TestOptions(Verify.AotAnalyzed));
    }

    [Fact]
    public Task ProjectWithoutContext_GetsOneListingTheEntity()
    {
        const string source = """
            using OfflineSync;

            namespace Shop;

            [Syncable]
            public partial class {|OSYNC010:Todo|}
            {
                public string Id { get; set; } = "";
            }
            """;
        const string context = """
            using System.Text.Json.Serialization;

            namespace Shop;

            /// <summary>The JSON metadata of the synced entities: no reflection, so the app can be trimmed or compiled ahead of time.</summary>
            [JsonSerializable(typeof(Todo))]
            internal sealed partial class SyncJsonContext : JsonSerializerContext
            {
            }

            """;

        // System.Text.Json's generator would complete the new context; these tests run without it.
        return Verify.CodeFixAsync<AddJsonSerializableCodeFixProvider>(
            source,
            [("/0/Test0.cs", source.Replace("{|OSYNC010:Todo|}", "Todo", StringComparison.Ordinal)), ("SyncJsonContext.cs", context)],
            new Verify.TestOptions(Verify.AotAnalyzed, CheckCompiler: false));
    }
}
