using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC009: resource names are unique; generated type names do not clash (DESIGN §3).</summary>
public sealed class Osync009NameCollisionTests
{
    [Fact]
    public Task ExplicitNameEqualToAnotherDefaultName_ReportsBoth()
    {
        const string source = """
            using OfflineSync;

            [{|#0:Syncable|}]
            public partial class Category
            {
                public string Id { get; set; } = "";
            }

            [{|#1:Syncable("categories")|}]
            public partial class Folder
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(0)
                .WithArguments("[Syncable] Category and Folder share the resource name 'categories'", "give each its own name with [Syncable(\"...\")]"),
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(1)
                .WithArguments("[Syncable] Folder and Category share the resource name 'categories'", "give each its own name with [Syncable(\"...\")]"));
    }

    [Fact]
    public Task UserTypesNamedLikeGeneratedTypes_Report()
    {
        const string source = """
            using OfflineSync;

            [Syncable("todos")]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }

            public class {|#0:TodoPatch|}
            {
            }

            public record {|OSYNC009:CreateTodo|}(string Title);

            public struct {|OSYNC009:DeleteTodo|}
            {
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(0)
                .WithArguments("TodoPatch collides with the patch type the generator emits for [Syncable] Todo", "rename TodoPatch, or rename Todo"));
    }

    [Fact]
    public Task DistinctNamesAndPartialExtensionOfGeneratedType_DoNotReport()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Category
            {
                public string Id { get; set; } = "";
            }

            [Syncable("folders")]
            public partial class Folder
            {
                public string Id { get; set; } = "";
            }

            public partial class FolderPatch
            {
                public string Describe() => "folder patch";
            }

            namespace Other
            {
                public class CategoryPatch
                {
                }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
