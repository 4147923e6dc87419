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
    public Task InitOutsideRecord_ReadonlyField_GetOnlyReadOnlyList_OtherReadOnlyCollections_PrivateMembers_Report()
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

                [References(typeof(User))]
                public IReadOnlySet<string> {|OSYNC003:Followers|} { get; set; } = new HashSet<string>();

                [References(typeof(User))]
                public IReadOnlyCollection<string> {|OSYNC003:Editors|} { get; init; } = new List<string>();

                public Assignment Assignee { get; set; } = new();
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                private string? {|OSYNC003:AuthorId|} { get; set; }

                [References(typeof(User))]
                private List<string> {|OSYNC003:_reviewerIds|} = new();

                public int ReviewerCount => _reviewerIds.Count + (AuthorId is null ? 0 : 1);
            }

            public class Assignment
            {
                [References(typeof(User))]
                public string? {|OSYNC003:UserId|} { private get; set; }

                public bool IsSet => UserId is not null;
            }

            public class Wrapper<T>
            {
                [References(typeof(User))]
                public string? {|OSYNC003:UserId|} { get; private set; }

                public T? Value { get; set; }
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
    public Task RecordInit_InPlaceCollections_InternalSetter_PrivateBackingField_DoNotReport()
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
                public string? AuthorId { get; internal set; }

                private Assignment? _draft = new(null);

                public Assignment? Draft => _draft;
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

    // The generated code reaches a private or protected setter through a generated accessor, and replaces a
    // read-only key collection that a setter, a private setter or a record's init can assign.
    [Fact]
    public Task PrivateSetters_ReplaceableReadOnlyCollections_DoNotReport()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using OfflineSync;

            [Syncable]
            public partial record Playlist
            {
                public string Id { get; init; } = "";

                [References(typeof(User))]
                public IReadOnlyList<string> CuratorIds { get; init; } = [];

                [References(typeof(User))]
                public ImmutableArray<string> EditorIds { get; init; } = [];

                [References(typeof(User))]
                public IReadOnlyCollection<string> FollowerIds { get; init; } = [];
            }

            [Syncable]
            public partial class Note
            {
                public string Id { get; private set; } = "";

                [References(typeof(User))]
                public string? AuthorId { get; private set; }

                [References(typeof(User))]
                public IReadOnlyList<string> ReviewerIds { get; protected set; } = [];

                public Assignment Assignee { get; set; } = new();
            }

            public class Assignment
            {
                [References(typeof(User))]
                public string? UserId { get; private set; }
            }

            """ + User;

        return Verify.AnalyzerAsync(source);
    }
}
