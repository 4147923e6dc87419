using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC003: a slot that cannot be written back. S3: every reference to a confirmed item resolves to the server key.</summary>
public sealed class Osync003WritableSlotTests
{
    private const string User = """
        [Syncable]
        public partial class User
        {
            public string Id { get; set; } = "";
        }
        """;

    [Fact]
    public Task GetOnlyKeySlot_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public string? {|#0:OwnerId|} { get; }
            }

            """ + User;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.SlotNotWritable).WithLocation(0).WithArguments("Todo", "OwnerId", "is get-only", "add a setter"));
    }

    [Fact]
    public Task InitOutsideRecord_ReadonlyField_ReadOnlyList_PrivateNestedSetter_Report()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public string? {|OSYNC003:OwnerId|} { get; init; }

                [References(typeof(User))]
                public readonly string {|OSYNC003:CreatorId|} = "";

                [References(typeof(User))]
                public IReadOnlyList<string> {|OSYNC003:Watchers|} { get; } = new List<string>();

                public Assignment Assignee { get; set; } = new();
            }

            public class Assignment
            {
                [References(typeof(User))]
                public string? {|OSYNC003:UserId|} { get; private set; }
            }

            """ + User;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task GetOnlyStructHoldingReferences_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public Stamp {|OSYNC003:Created|} { get; }
            }

            public struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            """ + User;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task RecordInit_InPlaceCollections_EntityPrivateSetter_DoNotReport()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial record Todo
            {
                public string Id { get; init; } = "";

                [References(typeof(User))]
                public string? OwnerId { get; init; }

                [References(typeof(User))]
                public List<string> Watchers { get; } = new();

                public Assignment? Assignee { get; set; }

                public Stamp Created { get; set; }
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public string? AuthorId { get; private set; }
            }

            public record Assignment([property: References(typeof(User))] string? UserId)
            {
                [References(typeof(User))]
                public string? ReviewerId { get; init; }
            }

            public record struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; init; }
            }

            """ + User;

        return Verify.AnalyzerAsync(source);
    }
}
