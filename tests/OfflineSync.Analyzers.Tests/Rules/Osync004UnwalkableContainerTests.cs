using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC004: references where the visitor cannot walk. S12: remapping is recursive through objects, lists, arrays, sets.</summary>
public sealed class Osync004UnwalkableContainerTests
{
    private const string User = """
        [Syncable]
        public partial class User
        {
            public string Id { get; set; } = "";
        }
        """;

    [Fact]
    public Task DictionaryValueSlot_Reports()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public {|#0:Dictionary<string, string>|} OwnersByRole { get; set; } = new();
            }

            """ + User;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.UnwalkableContainer)
                .WithLocation(0)
                .WithArguments(
                    "Todo",
                    "OwnersByRole",
                    "a dictionary (Dictionary<string, string>)",
                    "hold the keys as the key type, its nullable, or a List<K>, K[], IList<K>, HashSet<K>, IReadOnlyList<K>, IReadOnlyCollection<K> or ImmutableArray<K>"));
    }

    [Fact]
    public Task ObjectDynamicEnumerableSlotsNestedContainersAndStructSets_Report()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(User))]
                public {|OSYNC004:object?|} Owner { get; set; }

                [References(typeof(User))]
                public {|OSYNC004:dynamic?|} Reviewer { get; set; }

                [References(typeof(User))]
                public {|OSYNC004:IEnumerable<string>|} Watchers { get; set; } = new List<string>();

                public {|OSYNC004:Dictionary<string, Assignment>|} AssignmentsByRole { get; set; } = new();

                public {|OSYNC004:Dictionary<Assignment, int>|} Weights { get; set; } = new();

                public {|OSYNC004:IAssignee?|} Assignee { get; set; }

                public {|OSYNC004:IEnumerable<Assignment>|} History { get; set; } = new List<Assignment>();

                public {|OSYNC004:HashSet<Stamp>|} Stamps { get; set; } = new();
            }

            public struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            public class Assignment
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            public interface IAssignee
            {
                [References(typeof(User))]
                string? UserId { get; set; }
            }

            """ + User;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task WalkableContainersAndContainersWithoutReferences_DoNotReport()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                public Assignment? Assignee { get; set; }
                public List<Assignment> Assignments { get; set; } = new();
                public Assignment[] Archive { get; set; } = System.Array.Empty<Assignment>();
                public IList<Assignment> Queue { get; set; } = new List<Assignment>();
                public HashSet<Assignment> Pool { get; set; } = new();
                public List<Stamp> Stamps { get; set; } = new();
                public HashSet<Point> Points { get; set; } = new();
                public Dictionary<string, Note> NotesByAuthor { get; set; } = new();
                public object? Payload { get; set; }
                public IEnumerable<string> Words { get; set; } = new List<string>();
            }

            public class Assignment
            {
                [References(typeof(User))]
                public string? UserId { get; set; }

                [References(typeof(User))]
                public List<string> Collaborators { get; set; } = new();
            }

            public class Note
            {
                public string Text { get; set; } = "";
            }

            public struct Stamp
            {
                [References(typeof(User))]
                public string? UserId { get; set; }
            }

            public record struct Point(int X, int Y);

            """ + User;

        return Verify.AnalyzerAsync(source);
    }
}
