using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>
/// OSYNC013: a generic [Syncable] type is refused, not silently left out. OSYNC014: a [SyncVersion] the
/// generated code cannot fill (S10: updates and deletes send the version the view holds).
/// </summary>
public sealed class Osync013Osync014EntityShapeTests
{
    [Fact]
    public Task GenericEntity_OrEntityNestedInAGenericType_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class {|#0:Box|}<T>
            {
                public string Id { get; set; } = "";
            }

            public partial class Outer<T>
            {
                [Syncable]
                public partial class {|#1:Item|}
                {
                    public string Id { get; set; } = "";
                }
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.GenericEntity).WithLocation(0).WithArguments("Box<T>", "is generic", "remove [Syncable] from it and mark a non-generic class derived from it (class Order : Box<…>) [Syncable]"),
            Verify.Diagnostic(DiagnosticDescriptors.GenericEntity).WithLocation(1).WithArguments("Outer<T>.Item", "is nested in a generic type", "move it out of the generic type"));
    }

    // The close case: a non-generic entity closing a generic base.
    [Fact]
    public Task NonGenericEntityDerivedFromAGenericBase_DoesNotReport()
    {
        const string source = """
            using OfflineSync;

            public abstract class Keyed<TKey>
            {
                public TKey Id { get; set; } = default!;
            }

            [Syncable]
            public partial class Order : Keyed<long>
            {
                public string Title { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task VersionOfAnUnsupportedType_TwoVersions_GetOnlyVersion_Report()
    {
        const string source = """
            using System;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [SyncVersion]
                public DateTime {|#0:Stamp|} { get; set; }
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; set; } = "";

                [SyncVersion]
                public string? {|#1:ETag|} { get; set; }

                [SyncVersion]
                public long {|#2:Revision|} { get; set; }
            }

            [Syncable]
            public partial class Tag
            {
                public string Id { get; set; } = "";

                [SyncVersion]
                public string {|#3:Version|} => "1";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnusableVersion).WithLocation(0).WithArguments("Todo", "Stamp", "is DateTime, which cannot hold the server's version", "use string, long or int (nullable or not)"),
            Verify.Diagnostic(DiagnosticDescriptors.UnusableVersion).WithLocation(1).WithArguments("Note", "ETag", "is one of several [SyncVersion] properties of Note (with Revision)", "keep [SyncVersion] on the one property that holds the server's version"),
            Verify.Diagnostic(DiagnosticDescriptors.UnusableVersion).WithLocation(2).WithArguments("Note", "Revision", "is one of several [SyncVersion] properties of Note (with ETag)", "keep [SyncVersion] on the one property that holds the server's version"),
            Verify.Diagnostic(DiagnosticDescriptors.UnusableVersion).WithLocation(3).WithArguments("Tag", "Version", "is get-only, so the server's version cannot be set", "add a setter"));
    }

    // The close cases: every supported version type, nullable or not, with a setter, a private setter or init.
    [Fact]
    public Task StringLongAndIntVersions_DoNotReport()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [SyncVersion]
                public string? Version { get; set; }
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; set; } = "";

                [SyncVersion]
                public long Revision { get; private set; }
            }

            [Syncable]
            public partial record Tag
            {
                public string Id { get; init; } = "";

                [SyncVersion]
                public int? Version { get; init; }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
