using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC008: recursive nested types holding references are walked with a depth limit (S12).</summary>
public sealed class Osync008RecursiveNestedTypeTests
{
    [Fact]
    public Task TreeOfRepliesHoldingReferences_Warns()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Thread
            {
                public string Id { get; set; } = "";

                public List<Reply> Replies { get; set; } = new();
            }

            public class Reply
            {
                [References(typeof(User))]
                public string AuthorId { get; set; } = "";

                public List<Reply> {|#0:Replies|} { get; set; } = new();
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.RecursiveNestedType).WithLocation(0).WithArguments("Reply", "Replies", "Reply"));
    }

    [Fact]
    public Task MutualRecursion_Warns()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Document
            {
                public string Id { get; set; } = "";

                public Section? Root { get; set; }
            }

            public class Section
            {
                [References(typeof(User))]
                public string? EditorId { get; set; }

                public Paragraph? First { get; set; }
            }

            public class Paragraph
            {
                public Section? {|OSYNC008:Subsection|} { get; set; }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task RecursionWithoutReferences_AndEntitySelfReference_DoNotWarn()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Todo))]
                public string? ParentId { get; set; }

                public Outline Outline { get; set; } = new();

                public List<Todo> Subtasks { get; set; } = new();
            }

            public class Outline
            {
                public string Label { get; set; } = "";

                public List<Outline> Children { get; set; } = new();
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
