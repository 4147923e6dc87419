using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC007: a string XId next to a [Syncable] X without [References]. S14: only declared slots are remapped.</summary>
public sealed class Osync007ForgottenReferenceTests
{
    private const string Category = """
        [Syncable]
        public partial class Category
        {
            public string Id { get; set; } = "";
        }
        """;

    [Fact]
    public Task StringXIdWithoutReferences_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public string? {|#0:CategoryId|} { get; set; }
            }

            """ + Category;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.LikelyMissingReferences).WithLocation(0).WithArguments("Todo", "CategoryId", "Category"));
    }

    [Fact]
    public Task StringXIdInNestedTypeReachedFromEntity_Reports()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public List<Filing> Filings { get; set; } = new();
            }

            public class Filing
            {
                public string {|OSYNC007:CategoryId|} { get; set; } = "";
            }

            """ + Category;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task DeclaredIgnoredUnrelatedOrOutsideTheModel_DoesNotReport()
    {
        const string source = """
            using System;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Category))]
                public string? CategoryId { get; set; }

                public string? OwnerId { get; set; }

                public Guid CorrelationId { get; set; }
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; set; } = "";

                [SyncIgnore]
                public string? CategoryId { get; set; }
            }

            [Syncable]
            public partial class Shelf
            {
                [SyncKey]
                public string ShelfId { get; set; } = "";
            }

            public class CategoryDto
            {
                public string CategoryId { get; set; } = "";
            }

            """ + Category;

        return Verify.AnalyzerAsync(source);
    }
}
