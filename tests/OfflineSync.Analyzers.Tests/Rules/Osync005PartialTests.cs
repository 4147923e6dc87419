using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC005: the generator adds ISyncEntity&lt;T&gt; to the entity, so it and its containers must be partial.</summary>
public sealed class Osync005PartialTests
{
    [Fact]
    public Task NotPartial_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public class {|#0:Todo|}
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0).WithArguments("Todo", "is not partial", "it"));
    }

    [Fact]
    public Task NestedInNonPartialType_Reports()
    {
        const string source = """
            using OfflineSync;

            public partial class Outer
            {
                public class Middle
                {
                    [Syncable]
                    public partial record {|#0:Todo|}
                    {
                        public string Id { get; set; } = "";
                    }
                }
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0).WithArguments("Outer.Middle.Todo", "is nested in Middle, which is not partial", "Middle"));
    }

    [Fact]
    public Task PartialAtEveryLevel_DoesNotReport()
    {
        const string source = """
            using OfflineSync;

            public static partial class Outer
            {
                [Syncable]
                public partial record Todo
                {
                    public string Id { get; set; } = "";
                }
            }

            [Syncable]
            public sealed partial class Category
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
