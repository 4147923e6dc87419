using OfflineSync.Analyzers.Tests.Infrastructure;
using OfflineSync.CodeFixes;

namespace OfflineSync.Analyzers.Tests.CodeFixes;

/// <summary>OSYNC005 fix: 'partial' on the entity and its containers; fix-all handles a shared container once.</summary>
public sealed class AddPartialCodeFixTests
{
    [Fact]
    public Task NotPartialEntity_GetsPartialAfterItsModifiers()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public sealed class {|OSYNC005:Todo|}
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            class {|OSYNC005:Category|}
            {
                public string Id { get; set; } = "";
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            [Syncable]
            public sealed partial class Todo
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            partial class Category
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.CodeFixAsync<AddPartialCodeFixProvider>(source, fixedSource);
    }

    [Fact]
    public Task NestedEntities_ContainersBecomePartialToo()
    {
        const string source = """
            using OfflineSync;

            public static class Model
            {
                [Syncable]
                public record {|OSYNC005:Todo|}
                {
                    public string Id { get; init; } = "";
                }

                [Syncable]
                public partial record {|OSYNC005:Category|}
                {
                    public string Id { get; init; } = "";
                }
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            public static partial class Model
            {
                [Syncable]
                public partial record Todo
                {
                    public string Id { get; init; } = "";
                }

                [Syncable]
                public partial record Category
                {
                    public string Id { get; init; } = "";
                }
            }
            """;

        return Verify.CodeFixAsync<AddPartialCodeFixProvider>(source, fixedSource);
    }

    [Fact]
    public Task ClientNotPartial_OrNestedInNonPartial_BecomesPartial()
    {
        const string source = """
            using OfflineSync;

            [SyncClient]
            public class {|OSYNC012:AppSync|}
            {
            }

            public class Host
            {
                [SyncClient]
                internal partial class {|OSYNC012:InnerSync|}
                {
                }
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            [SyncClient]
            public partial class AppSync
            {
            }

            public partial class Host
            {
                [SyncClient]
                internal partial class InnerSync
                {
                }
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.CodeFixAsync<AddPartialCodeFixProvider>(source, fixedSource);
    }
}
