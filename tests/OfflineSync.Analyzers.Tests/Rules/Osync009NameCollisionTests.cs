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
    public Task SameSimpleNameWithTypedClient_ReportsBoth()
    {
        const string source = """
            using OfflineSync;

            namespace Billing
            {
                [{|#0:Syncable("invoices")|}]
                public partial class Invoice
                {
                    public string Id { get; set; } = "";
                }
            }

            namespace Archive
            {
                [{|#1:Syncable("")|}]
                public partial class Invoice
                {
                    public string Id { get; set; } = "";
                }
            }

            [SyncClient]
            public partial class AppSync
            {
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(1)
                .WithArguments("[Syncable] Archive.Invoice and Billing.Invoice share the resource name 'invoices'", "give each its own name with [Syncable(\"...\")]"),
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(0)
                .WithArguments("[Syncable] Billing.Invoice and Archive.Invoice share the resource name 'invoices'", "give each its own name with [Syncable(\"...\")]"),
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(1)
                .WithArguments("[Syncable] Archive.Invoice and Billing.Invoice have the same name, so their typed sets on the [SyncClient] would too", "rename one of them"),
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(0)
                .WithArguments("[Syncable] Billing.Invoice and Archive.Invoice have the same name, so their typed sets on the [SyncClient] would too", "rename one of them"));
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
    public Task MembersNamedLikeGeneratedMembers_Report()
    {
        const string source = """
            using OfflineSync;

            [Syncable("todos")]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public string {|#0:ResourceName|} { get; set; } = "";

                public bool {|#1:IsEmpty|} { get; set; }

                public string? {|OSYNC009:Merge|} { get; init; }

                public int {|OSYNC009:TodoPatch|} { get; set; }
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(0)
                .WithArguments("Todo.ResourceName collides with Todo.ResourceName, which the generator emits for [Syncable] Todo", "rename ResourceName"),
            Verify.Diagnostic(DiagnosticDescriptors.NameCollision)
                .WithLocation(1)
                .WithArguments("Todo.IsEmpty collides with TodoPatch.IsEmpty, which the generator emits for [Syncable] Todo", "rename IsEmpty, or mark it [SyncIgnore]"));
    }

    [Fact]
    public Task MembersNamedLikeGeneratedOnesButNotPatchedOrMethods_DoNotReport()
    {
        // A computed IsEmpty is not in the patch; a method named like a generated one is an overload.
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable("todos")]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public List<string> Items { get; set; } = new();

                public bool IsEmpty => Items.Count == 0;

                [SyncIgnore]
                public string? Read { get; set; }

                public string GetKey() => Id;
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task DistinctNamesPartialExtensionAndSameNameWithoutClient_DoNotReport()
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

            namespace Archive
            {
                [Syncable("otherCategories")]
                public partial class Category
                {
                    public string Id { get; set; } = "";
                }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
