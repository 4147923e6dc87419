using OfflineSync.Analyzers.Tests.Infrastructure;
using OfflineSync.CodeFixes;

namespace OfflineSync.Analyzers.Tests.CodeFixes;

/// <summary>OSYNC003 fix: one accessor change makes the slot writable (S3: remapped keys are written back).</summary>
public sealed class MakeSlotWritableCodeFixTests
{
    [Fact]
    public Task GetOnlyInitAndReadonlySlots_BecomeWritable()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public string? {|OSYNC003:OwnerId|} { get; }

                [References(typeof(User))]
                public string? {|OSYNC003:ReviewerId|} { get; init; }

                [References(typeof(User))]
                public readonly string {|OSYNC003:CreatorId|} = "";

                public Stamp {|OSYNC003:Created|} { get; }
            }

            public struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            [Syncable]
            public partial record Note
            {
                public string Id { get; init; } = "";

                [References(typeof(User))]
                public string? {|OSYNC003:AuthorId|} { get; }
            }

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public string? OwnerId { get; set; }

                [References(typeof(User))]
                public string? ReviewerId { get; set; }

                [References(typeof(User))]
                public string CreatorId = "";

                public Stamp Created { get; set; }
            }

            public struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            [Syncable]
            public partial record Note
            {
                public string Id { get; init; } = "";

                [References(typeof(User))]
                public string? AuthorId { get; init; }
            }

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.CodeFixAsync<MakeSlotWritableCodeFixProvider>(source, fixedSource);
    }
}
