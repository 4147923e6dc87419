using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// What the analyzers report (OSYNC001–009) the generator skips: it never throws and never emits
/// code that does not compile.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string, string> InvalidModels => new()
    {
        { "not partial (OSYNC005)", """[Syncable] public class A { public string Id { get; set; } = ""; }""" },
        { "nested in a non-partial type (OSYNC005)", """public class Outer { [Syncable] public partial class A { public string Id { get; set; } = ""; } }""" },
        { "no key (OSYNC006)", """[Syncable] public partial class A { public string Name { get; set; } = ""; }""" },
        { "unsupported key type (OSYNC006)", """[Syncable] public partial class A { public decimal Id { get; set; } }""" },
        { "get-only key", """[Syncable] public partial class A { public string Id { get; } = ""; }""" },
        { "generic entity", """[Syncable] public partial class A<T> { public string Id { get; set; } = ""; }""" },
        { "target not syncable (OSYNC001)", """public class B { } [Syncable] public partial class A { public string Id { get; set; } = ""; [References(typeof(B))] public string? BId { get; set; } }""" },
        { "slot cannot hold the key (OSYNC002)", """[Syncable] public partial class B { public string Id { get; set; } = ""; } [Syncable] public partial class A { public string Id { get; set; } = ""; [References(typeof(B))] public int BId { get; set; } [References(typeof(B))] public uint[] More { get; set; } = []; }""" },
        { "slot not writable (OSYNC003)", """[Syncable] public partial class B { public string Id { get; set; } = ""; } [Syncable] public partial class A { public string Id { get; set; } = ""; [References(typeof(B))] public string BId { get; } = ""; [References(typeof(B))] public string CId { get; init; } = ""; [References(typeof(B))] public readonly string DId = ""; }""" },
        { "container not walkable (OSYNC004)", """[Syncable] public partial class B { public string Id { get; set; } = ""; } [Syncable] public partial class A { public string Id { get; set; } = ""; [References(typeof(B))] public object? BId { get; set; } [References(typeof(B))] public Dictionary<string, int> Map { get; set; } = new(); [References(typeof(B))] public IEnumerable<string> Seq { get; set; } = []; public object? Anything { get; set; } }""" },
        { "client on a record", """[SyncClient] public partial record C;""" },
        { "client not partial", """[SyncClient] public class C { }""" },
        { "unfinished declaration", """[Syncable] public partial class A { public string Id { get; set""" },
        { "attribute arguments of the wrong type", """[Syncable(42)] public partial class A { public string Id { get; set; } = ""; [References] public string? X { get; set; } [References(null)] public string? Y { get; set; } [References(typeof(int))] public string? Z { get; set; } [References(typeof(List<>))] public string? W { get; set; } }""" },
        { "key is a field", """[Syncable] public partial class A { public string Id = ""; }""" },
        { "struct entity", """[Syncable] public partial struct A { public string Id { get; set; } }""" },
        { "abstract entity", """[Syncable] public abstract partial class A { public string Id { get; set; } = ""; }""" },
        { "entity without accessible ctor", """[Syncable] public partial class A { private A() { } public string Id { get; set; } = ""; }""" },
        { "member named like a generated entity member (OSYNC009)", """[Syncable] public partial class A { public string Id { get; set; } = ""; public string? ResourceName { get; set; } }""" },
        { "member named like a generated patch member (OSYNC009)", """[Syncable] public partial class A { public string Id { get; set; } = ""; public bool IsEmpty { get; set; } public string? Merge { get; init; } public int APatch { get; set; } }""" },
        { "generic entity nested in a generic type (OSYNC013)", """public partial class Outer<T> { [Syncable] public partial class A { public string Id { get; set; } = ""; } }""" },
        { "client with another base class (OSYNC012)", """public class Base { } [SyncClient] public partial class C : Base { } [Syncable] public partial class A { public string Id { get; set; } = ""; }""" },
        { "client nested in a non-partial type (OSYNC012)", """public class Host { [SyncClient] public partial class C { } } [Syncable] public partial class A { public string Id { get; set; } = ""; }""" },
        { "version of an unsupported type (OSYNC014)", """[Syncable] public partial class A { public string Id { get; set; } = ""; [SyncVersion] public System.DateTime Stamp { get; set; } }""" },
        { "two versions (OSYNC014)", """[Syncable] public partial class A { public string Id { get; set; } = ""; [SyncVersion] public string? V1 { get; set; } [SyncVersion] public long V2 { get; set; } }""" },
        { "context not partial", """[Syncable] public partial class A { public string Id { get; set; } = ""; } [System.Text.Json.Serialization.JsonSerializable(typeof(A))] internal class Ctx : System.Text.Json.Serialization.JsonSerializerContext { public Ctx() : base(null) { } protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null; public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(System.Type type) => null; }""" },
        { "context private and nested", """[Syncable] public partial class A { public string Id { get; set; } = ""; } public partial class Host { [System.Text.Json.Serialization.JsonSerializable(typeof(A))] private partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { } }""" },
        { "generic context", """[Syncable] public partial class A { public string Id { get; set; } = ""; } [System.Text.Json.Serialization.JsonSerializable(typeof(A))] internal partial class Ctx<T> : System.Text.Json.Serialization.JsonSerializerContext { }""" },
        { "unresolved types", """[Syncable] public partial class A { public string Id { get; set; } = ""; [References(typeof(Missing))] public string? X { get; set; } public Unknown Y { get; set; } }""" },
    };

    [Theory]
    [MemberData(nameof(InvalidModels))]
    public void Generate_InvalidModel_NeverThrowsAndEmitsNoBrokenCode(string because, string source)
    {
        string file = "using System.Collections.Generic;\nusing OfflineSync;\n\nnamespace Invalid;\n\n" + source;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Invalid.cs", file)));

        Assert.Null(result.Exception);
        HashSet<SyntaxTree> generated = [.. output.SyntaxTrees.Where(static t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))];
        Diagnostic[] inGenerated = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .ToArray();
        Assert.True(inGenerated.Length == 0, because + ": " + string.Join("\n", inGenerated.Select(static d => d.ToString())));
    }

    [Fact]
    public void Generate_EntityWithAnInvalidSlot_StillGetsItsMembers_WithoutThatSlot()
    {
        const string source = """
            using OfflineSync;
            namespace Partly;
            [Syncable] public partial class B { public string Id { get; set; } = ""; }
            [Syncable] public partial class A
            {
                public string Id { get; set; } = "";
                [References(typeof(B))] public string? Good { get; set; }
                [References(typeof(B))] public int Bad { get; set; }
            }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Partly.cs", source)));

        string generated = result.GeneratedSources.Single(static s => s.HintName == "Partly.A.Sync.g.cs").SourceText.ToString();
        Assert.Contains("value.Good", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("value.Bad", generated, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generate_EntityNestedInPartialTypesInTheGlobalNamespace_Compiles()
    {
        const string source = """
            using OfflineSync;
            public static partial class Outer
            {
                internal partial class Inner
                {
                    [Syncable] internal partial record Item(string Id, [property: References(typeof(Item))] string? ParentId);
                }
            }
            [SyncClient] internal partial class GlobalSync { }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Nested.cs", source)));

        Assert.Contains(result.GeneratedSources, static s => s.HintName == "Outer.Inner.Item.Sync.g.cs");
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generate_MembersNamedLikeKeywords_AreEscapedAndCompile()
    {
        const string source = """
            using System.Collections.Generic;
            using OfflineSync;
            namespace Keywords;
            [Syncable] public partial class Item
            {
                [SyncKey] public string @event { get; set; } = "";
                public string @class { get; set; } = "";
                [References(typeof(Item))] public string? @default { get; set; }
                [References(typeof(Item))] public List<string> @params { get; set; } = new();
            }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Keywords.cs", source)));

        string generated = result.GeneratedSources.Single(static s => s.HintName == "Keywords.Item.Sync.g.cs").SourceText.ToString();
        Assert.Contains("value.@default", generated, StringComparison.Ordinal);
        Assert.Contains("Encode(\"class\")", generated, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generate_EntityDerivedFromAnEntity_HidesTheBaseMembersWithoutWarnings()
    {
        const string source = """
            using OfflineSync;
            namespace Derived;
            [Syncable] public partial class Item { public string Id { get; set; } = ""; }
            [Syncable] public partial class SpecialItem : Item { [References(typeof(Item))] public string? ParentId { get; set; } }
            [SyncClient] public partial class DerivedSync { }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Derived.cs", source)));

        string derived = result.GeneratedSources.Single(static s => s.HintName == "Derived.SpecialItem.Sync.g.cs").SourceText.ToString();
        string baseEntity = result.GeneratedSources.Single(static s => s.HintName == "Derived.Item.Sync.g.cs").SourceText.ToString();
        Assert.Contains("public static new string ResourceName => \"specialItems\";", derived, StringComparison.Ordinal);
        Assert.DoesNotContain("static new", baseEntity, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
    }
}
