using OfflineSync.Analyzers.Tests.Infrastructure;
using OfflineSync.CodeFixes;

namespace OfflineSync.Analyzers.Tests.CodeFixes;

/// <summary>OSYNC002 fix: the slot takes the key type and keeps its nullability and collection shape.</summary>
public sealed class ChangeSlotTypeCodeFixTests
{
    [Fact]
    public Task MismatchedSlots_TakeTheKeyTypeInTheirShape()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Category))]
                public {|OSYNC002:int|} CategoryId { get; set; }

                [References(typeof(Category))]
                public {|OSYNC002:int?|} ParentCategory { get; set; }

                [References(typeof(Category))]
                public {|OSYNC002:List<int>|} Categories { get; set; } = new List<int>();

                [References(typeof(Project))]
                public {|OSYNC002:string[]|} Projects { get; set; } = Array.Empty<string>();

                [References(typeof(Project))]
                public {|OSYNC002:string?|} MainProject { get; set; }

                [References(typeof(Account))]
                public {|OSYNC002:uint|} Owner { get; set; } = 7;

                [References(typeof(Account))]
                public {|OSYNC002:HashSet<int>|} Watchers { get; set; } = new();
            }

            [Syncable]
            public partial class Category
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Project
            {
                public Guid Id { get; set; }
            }

            [Syncable]
            public partial class Account
            {
                public long Id { get; set; }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Category))]
                public string CategoryId { get; set; } = "";

                [References(typeof(Category))]
                public string? ParentCategory { get; set; }

                [References(typeof(Category))]
                public List<string> Categories { get; set; } = new List<string>();

                [References(typeof(Project))]
                public Guid[] Projects { get; set; } = Array.Empty<Guid>();

                [References(typeof(Project))]
                public Guid? MainProject { get; set; }

                [References(typeof(Account))]
                public long Owner { get; set; }

                [References(typeof(Account))]
                public HashSet<long> Watchers { get; set; } = new();
            }

            [Syncable]
            public partial class Category
            {
                public string Id { get; set; } = "";
            }

            [Syncable]
            public partial class Project
            {
                public Guid Id { get; set; }
            }

            [Syncable]
            public partial class Account
            {
                public long Id { get; set; }
            }
            """;

        return Verify.CodeFixAsync<ChangeSlotTypeCodeFixProvider>(source, fixedSource);
    }

    [Fact]
    public Task FieldSlot_TakesTheKeyType()
    {
        const string source = """
            using OfflineSync;

            public class Assignment
            {
                [References(typeof(User))]
                public {|OSYNC002:int|} UserId;
            }

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }
            """;
        const string fixedSource = """
            using OfflineSync;

            public class Assignment
            {
                [References(typeof(User))]
                public string UserId = "";
            }

            [Syncable]
            public partial class User
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.CodeFixAsync<ChangeSlotTypeCodeFixProvider>(source, fixedSource);
    }
}
