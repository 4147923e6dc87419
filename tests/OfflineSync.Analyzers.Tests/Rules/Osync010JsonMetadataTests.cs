using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>
/// OSYNC010: in a project analyzed for trimming or Native AOT, an entity no JsonSerializerContext of the project
/// lists would need reflection for its JSON, which a trimmed or Native AOT app does not allow.
/// </summary>
public sealed class Osync010JsonMetadataTests
{
    // System.Text.Json's generator implements a context; the analyzer tests run without it, so the test does.
    internal const string ContextMembers = """
        partial class AppJsonContext
        {
            public AppJsonContext() : base(null) { }
            protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(System.Type type) => null;
        }
        """;

    [Fact]
    public Task EntityNotInAnyContext_InAnAotAnalyzedProject_Reports()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class {|#0:Note|}
            {
                public string Id { get; set; } = "";
            }

            [JsonSerializable(typeof(Todo))]
            internal partial class AppJsonContext : JsonSerializerContext
            {
            }

            """ + ContextMembers;

        return Verify.AnalyzerAsync(
            source,
            new Verify.TestOptions(Verify.AotAnalyzed),
            Verify.Diagnostic(DiagnosticDescriptors.MissingJsonMetadata).WithLocation(0).WithArguments("Note", "add [JsonSerializable(typeof(Note))] to AppJsonContext"));
    }

    [Fact]
    public Task NoContextAtAll_InAnAotAnalyzedProject_ReportsEveryEntity()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class {|#0:Todo|}
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            new Verify.TestOptions(Verify.AotAnalyzed),
            Verify.Diagnostic(DiagnosticDescriptors.MissingJsonMetadata).WithLocation(0).WithArguments("Todo", "declare a JsonSerializerContext with [JsonSerializable(typeof(Todo))] in this project"));
    }

    // The close cases: the same unlisted entity in a project that is not analyzed for trimming (reflection works
    // there), and every entity listed in an AOT-analyzed one.
    [Fact]
    public Task UnlistedEntityWithoutTrimAnalysis_OrEveryEntityListed_DoesNotReport()
    {
        const string unlisted = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }
            """;
        const string listed = """
            using System.Text.Json.Serialization;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }

            [JsonSerializable(typeof(Todo))]
            internal partial class AppJsonContext : JsonSerializerContext
            {
            }

            """ + ContextMembers;

        return Task.WhenAll(
            Verify.AnalyzerAsync(unlisted),
            Verify.AnalyzerAsync(unlisted, new Verify.TestOptions("is_global = true\nbuild_property.EnableTrimAnalyzer = false")),
            Verify.AnalyzerAsync(listed, new Verify.TestOptions(Verify.AotAnalyzed)));
    }
}
