using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OfflineSync.Analyzers.Tests.Infrastructure;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>
/// OSYNC011: a [SyncClient] without any entity, in its compilation or a referenced assembly. OSYNC012: a
/// [SyncClient] the generator cannot extend (it would silently get no constructor and no sets).
/// </summary>
public sealed class Osync011Osync012ClientTests
{
    [Fact]
    public Task ClientWithoutAnyEntity_Reports()
    {
        const string source = """
            using OfflineSync;

            [SyncClient]
            public partial class {|#0:AppSync|}
            {
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.ClientWithoutEntities).WithLocation(0).WithArguments("AppSync"));
    }

    // The close case: the only entity is in a referenced model assembly, listed by the generator's assembly attribute.
    [Fact]
    public Task ClientWhoseEntitiesAreInAReferencedAssembly_DoesNotReport()
    {
        const string source = """
            using OfflineSync;

            [SyncClient]
            public partial class AppSync
            {
            }
            """;

        return Verify.AnalyzerAsync(source, new Verify.TestOptions(References: [ModelAssembly()]));
    }

    [Fact]
    public Task NotPartial_NestedInNonPartial_Record_OtherBase_Generic_Report()
    {
        const string source = """
            using OfflineSync;

            [SyncClient]
            public class {|#0:PlainSync|}
            {
            }

            public class Outer
            {
                [SyncClient]
                public partial class {|#1:InnerSync|}
                {
                }
            }

            [SyncClient]
            public partial record {|#2:RecordSync|};

            public class Base
            {
            }

            [SyncClient]
            public partial class {|#3:DerivedSync|} : Base
            {
            }

            [SyncClient]
            public partial class {|#4:GenericSync|}<T>
            {
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.ClientNotGenerated).WithLocation(0).WithArguments("PlainSync", "is not partial", "declare it 'partial'"),
            Verify.Diagnostic(DiagnosticDescriptors.ClientNotGenerated).WithLocation(1).WithArguments("Outer.InnerSync", "is nested in Outer, which is not partial", "declare Outer 'partial'"),
            Verify.Diagnostic(DiagnosticDescriptors.ClientNotGenerated).WithLocation(2).WithArguments("RecordSync", "is a record, but the generator adds a base class, a constructor and the typed sets to a class", "make it a partial class"),
            Verify.Diagnostic(DiagnosticDescriptors.ClientNotGenerated).WithLocation(3).WithArguments("DerivedSync", "derives from Base, but the generator makes SyncClient its base class", "remove the base class and hold what it gave in a field"),
            Verify.Diagnostic(DiagnosticDescriptors.ClientNotGenerated).WithLocation(4).WithArguments("GenericSync<T>", "is generic or nested in a generic type", "declare the client as a non-generic class"));
    }

    [Fact]
    public Task PartialClientInPartialContainers_DoesNotReport()
    {
        const string source = """
            using OfflineSync;

            public partial class Outer
            {
                [SyncClient]
                internal partial class AppSync
                {
                }
            }

            [Syncable]
            public partial class Todo
            {
                public string Id { get; set; } = "";
            }
            """;

        return Verify.AnalyzerAsync(source);
    }

    /// <summary>A model assembly as the generator leaves it: an entity and its assembly-level listing.</summary>
    internal static MetadataReference ModelAssembly()
    {
        const string model = """
            [assembly: OfflineSync.SyncableType(typeof(Model.Todo))]

            namespace Model
            {
                [OfflineSync.Syncable]
                public partial class Todo
                {
                    public string Id { get; set; } = "";
                }
            }
            """;
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Model",
            [CSharpSyntaxTree.ParseText(model)],
            TestReferences.Runtime,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(ImmutableArray.Create(image.ToArray()));
    }
}
