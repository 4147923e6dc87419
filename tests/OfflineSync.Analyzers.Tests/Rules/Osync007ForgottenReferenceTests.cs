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

    private const string KeyedEntities = """
        [Syncable]
        public partial class Note
        {
            public long Id { get; set; }
        }

        [Syncable]
        public partial class Notebook
        {
            public System.Guid Id { get; set; }
        }

        [Syncable]
        public partial class Folder
        {
            public int Id { get; set; }
        }
        """;

    // S14: a long, Guid or int key left in an undeclared slot (a negative optimistic key, say) reaches the server.
    [Fact]
    public Task EveryKeyTypeAndCollectionOfKeys_WithoutReferences_Reports()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public long {|OSYNC007:NoteId|} { get; set; }

                public Guid {|OSYNC007:NotebookId|} { get; set; }

                public int? {|OSYNC007:FolderId|} { get; set; }

                public List<long> {|OSYNC007:NoteIds|} { get; set; } = new();

                public Guid[] {|OSYNC007:NotebookIds|} { get; set; } = [];

                public HashSet<int> {|OSYNC007:FolderIds|} { get; set; } = new();

                public ImmutableArray<long> {|OSYNC007:PinnedNoteIds|} { get; init; } = [];
            }

            [Syncable]
            public partial class PinnedNote
            {
                public long Id { get; set; }
            }

            """ + KeyedEntities;

        return Verify.AnalyzerAsync(source);
    }

    // The close cases: the name matches an entity but the slot cannot hold its key, or holds it elsewhere (a dictionary).
    [Fact]
    public Task SlotThatCannotHoldTheEntitysKey_DoesNotReport()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public string? NoteId { get; set; }

                public int NotebookId { get; set; }

                public List<string> FolderIds { get; set; } = new();

                public Dictionary<long, string> NoteIds { get; set; } = new();

                public Guid RequestId { get; set; }
            }

            """ + KeyedEntities;

        return Verify.AnalyzerAsync(source);
    }
}
