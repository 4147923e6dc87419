using OfflineSync.Analyzers.Tests.Infrastructure;
using OfflineSync.CodeFixes;

namespace OfflineSync.Analyzers.Tests.CodeFixes;

/// <summary>OSYNC007 fix: declares the forgotten foreign key (S14: only declared slots are remapped).</summary>
public sealed class AddReferencesCodeFixTests
{
    [Fact]
    public Task ForgottenForeignKeys_GetReferencesAttribute()
    {
        const string source = """
            using OfflineSync;

            namespace Shop
            {
                [Syncable]
                public partial class Todo
                {
                    public string Id { get; set; } = "";

                    /// <summary>The category.</summary>
                    public string? {|OSYNC007:CategoryId|} { get; set; }

                    [SyncVersion]
                    public string {|OSYNC007:OwnerId|} { get; set; } = "";
                }

                [Syncable]
                public partial class Category
                {
                    public string Id { get; set; } = "";
                }

                [Syncable]
                public partial class Owner
                {
                    public string Id { get; set; } = "";
                }
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            namespace Shop
            {
                [Syncable]
                public partial class Todo
                {
                    public string Id { get; set; } = "";

                    /// <summary>The category.</summary>
                    [References(typeof(Category))]
                    public string? CategoryId { get; set; }

                    [SyncVersion]
                    [References(typeof(Owner))]
                    public string OwnerId { get; set; } = "";
                }

                [Syncable]
                public partial class Category
                {
                    public string Id { get; set; } = "";
                }

                [Syncable]
                public partial class Owner
                {
                    public string Id { get; set; } = "";
                }
            }
            """;

        return Verify.CodeFixAsync<AddReferencesCodeFixProvider>(source, fixedSource);
    }

    [Fact]
    public Task ForgottenNumericAndGuidForeignKeys_GetReferencesAttribute()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public long {|OSYNC007:NoteId|} { get; set; }

                public List<Guid> {|OSYNC007:NotebookIds|} { get; set; } = new();
            }

            [Syncable]
            public partial class Note
            {
                public long Id { get; set; }
            }

            [Syncable]
            public partial class Notebook
            {
                public Guid Id { get; set; }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Note))]
                public long NoteId { get; set; }

                [References(typeof(Notebook))]
                public List<Guid> NotebookIds { get; set; } = new();
            }

            [Syncable]
            public partial class Note
            {
                public long Id { get; set; }
            }

            [Syncable]
            public partial class Notebook
            {
                public Guid Id { get; set; }
            }
            """;

        return Verify.CodeFixAsync<AddReferencesCodeFixProvider>(source, fixedSource);
    }
}
