using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>OSYNC006: every entity needs one settable key of type string, Guid, long or int (DESIGN §2, S2).</summary>
public sealed class Osync006KeyTests
{
    [Fact]
    public Task NoIdAndNoSyncKey_Reports()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class {|#0:Todo|}
            {
                public string Key { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.MissingKey)
                .WithLocation(0)
                .WithArguments(
                    "Todo",
                    "has no key: no 'Id' property and no [SyncKey] property",
                    "add an Id property of type string, Guid, long or int, or mark the key property with [SyncKey]"));
    }

    [Fact]
    public Task UnsupportedKeyType_TwoSyncKeys_GetOnlyAndPrivateKeys_Report()
    {
        const string source = """
            using OfflineSync;

            [Syncable]
            public partial class Invoice
            {
                public {|OSYNC006:decimal|} Id { get; set; }
            }

            [Syncable]
            public partial class {|OSYNC006:Order|}
            {
                [SyncKey] public string Number { get; set; } = "";
                [SyncKey] public string Code { get; set; } = "";
            }

            [Syncable]
            public partial class Receipt
            {
                public string {|OSYNC006:Id|} { get; } = "";
            }

            [Syncable]
            public partial class Ticket
            {
                public {|OSYNC006:int?|} Id { get; set; }
            }

            [Syncable]
            public partial class Voucher
            {
                private int {|OSYNC006:Id|} { get; set; }

                public int Number => Id;
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task SupportedKeys_DoNotReport()
    {
        const string source = """
            using System;
            using OfflineSync;

            [Syncable]
            public partial class Invoice
            {
                [SyncKey] public Guid Number { get; set; }
            }

            [Syncable]
            public partial record Category(string Id, string Name);

            public abstract class EntityBase
            {
                public long Id { get; set; }
            }

            [Syncable]
            public partial class Order : EntityBase
            {
                public string Title { get; set; } = "";
            }

            [Syncable]
            public partial class Ticket
            {
                public int Id { get; internal set; }
            }

            [Syncable]
            public partial class Voucher
            {
                public long Id { get; private set; }
            }
            """;

        return Verify.AnalyzerAsync(source);
    }
}
