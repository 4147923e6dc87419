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
}
