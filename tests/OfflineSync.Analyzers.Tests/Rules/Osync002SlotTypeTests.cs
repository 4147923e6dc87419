using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC002: the slot type cannot hold the referenced key type. S12: keys, nullables, lists, arrays and sets are remapped.</summary>
public sealed class Osync002SlotTypeTests
{
    private const string Entities = """
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

        [Syncable]
        public partial class Label
        {
            public int Id { get; set; }
        }
        """;

    [Fact]
    public Task IntSlot_ForStringKey_ReportsWithTypesInMessage()
    {
        const string source = """
            using System;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Category))]
                public {|#0:int|} CategoryId { get; set; }
            }

            """ + Entities;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.SlotTypeMismatch).WithLocation(0).WithArguments("Todo", "CategoryId", "int", "Category", "string"));
    }

    [Fact]
    public Task WrongSlotShapes_Report()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Account))]
                public {|OSYNC002:uint|} OwnerAccount { get; set; }

                [References(typeof(Category))]
                public {|OSYNC002:List<int>|} Categories { get; set; } = new();

                [References(typeof(Project))]
                public {|OSYNC002:Guid?[]|} Projects { get; set; } = Array.Empty<Guid?>();

                [References(typeof(Label))]
                public {|OSYNC002:long?|} MainLabel { get; set; }

                [References(typeof(Project))]
                public {|OSYNC002:string|} ProjectKey { get; set; } = "";
            }

            """ + Entities;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task KeyTypes_TheirNullablesAndCollections_DoNotReport()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using OfflineSync;

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";

                [References(typeof(Category))] public string? CategoryId { get; set; }
                [References(typeof(Category))] public string MainCategory { get; set; } = "";
                [References(typeof(Category))] public List<string> CategoryList { get; set; } = new();
                [References(typeof(Category))] public string[] CategoryArray { get; set; } = Array.Empty<string>();
                [References(typeof(Category))] public IList<string> CategoryIList { get; set; } = new List<string>();
                [References(typeof(Category))] public HashSet<string> CategorySet { get; set; } = new();
                [References(typeof(Project))] public Guid ProjectKey { get; set; }
                [References(typeof(Project))] public Guid? OptionalProject { get; set; }
                [References(typeof(Project))] public List<Guid> Projects { get; set; } = new();
                [References(typeof(Account))] public long OwnerAccount { get; set; }
                [References(typeof(Account))] public long? Reviewer { get; set; }
                [References(typeof(Label))] public int MainLabel { get; set; }
                [References(typeof(Label))] public int? SecondLabel { get; set; }
                [References(typeof(Label))] public List<int> Labels { get; set; } = new();
            }

            """ + Entities;

        return Verify.AnalyzerAsync(source);
    }
}
