using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC001: [References(typeof(X))] where X is not [Syncable]. S13: a reference resolves only against its target's mappings.</summary>
public sealed class Osync001ReferenceTargetTests
{
    [Fact]
    public Task References_TypeThatIsNotSyncable_Reports()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            public class Tag
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [{|#0:References(typeof(Tag))|}]
                public List<string> TagIds { get; set; } = new();
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.ReferenceTargetNotSyncable).WithLocation(0).WithArguments("Todo", "TagIds", "Tag"));
    }

    [Fact]
    public Task References_InNestedType_TargetNotSyncable_Reports()
    {
        const string source = """
            using OfflineSync;

            public class User
            {
                public string Id { get; set; } = "";
            }

            public class Assignment
            {
                [{|OSYNC001:References(typeof(User))|}]
                public string? UserId { get; set; }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task References_SyncableType_DoesNotReport()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Tag
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Tag))]
                public List<string> TagIds { get; set; } = new();
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
