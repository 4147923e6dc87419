using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// The usual layout: the model in its own project, the [SyncClient] in the app. The model's generator lists its
/// entities in assembly attributes; the app's generator reads them from the reference and emits the typed sets.
/// </summary>
public sealed class ReferencedModelTests
{
    private const string ModelSource = """
        using System;
        using System.Text.Json.Serialization;
        using OfflineSync;

        namespace Notes.Model;

        [Syncable]
        public partial class Notebook
        {
            public Guid Id { get; set; }

            public string Title { get; set; } = "";
        }

        [Syncable]
        public partial class Note
        {
            public long Id { get; set; }

            [References(typeof(Notebook))]
            public Guid NotebookId { get; set; }
        }

        /// <summary>Internal to the model: no client of another assembly can see it.</summary>
        [Syncable]
        internal partial class Draft
        {
            public string Id { get; set; } = "";
        }

        [JsonSerializable(typeof(Notebook))]
        [JsonSerializable(typeof(Note))]
        [JsonSerializable(typeof(Draft))]
        internal partial class ModelJsonContext : JsonSerializerContext;
        """;

    private const string AppSource = """
        using OfflineSync;

        namespace Notes.App;

        [Syncable]
        public partial class Setting
        {
            public string Id { get; set; } = "";
        }

        [SyncClient]
        public partial class AppSync
        {
        }

        public static class Unrelated
        {
            public static int Value => 1;
        }
        """;

    [Fact]
    public void Client_ReferencingAModelAssembly_GetsATypedSetPerPublicEntityOfBoth()
    {
        MetadataReference model = CompileModel(ModelSource);

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(App(AppSource, model));

        Assert.Null(result.Exception);
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
        INamedTypeSymbol client = output.GetTypeByMetadataName("Notes.App.AppSync")!;
        Assert.Equal(["Notebooks", "Notes", "Settings"], client.GetMembers().OfType<IPropertySymbol>().Select(static p => p.Name).Order(StringComparer.Ordinal));
        AssertSetOf(client, "NoteSet", "Notes.Model.Note");
        AssertSetOf(client, "NotebookSet", "Notes.Model.Notebook");
        AssertSetOf(client, "SettingSet", "Notes.App.Setting");
        Assert.Contains(
            client.GetTypeMembers("NoteSet")[0].GetMembers("Delete").OfType<IMethodSymbol>(),
            static m => m.Parameters[0].Type.SpecialType == SpecialType.System_Int64);
        Assert.Empty(client.GetTypeMembers("DraftSet"));
    }

    [Fact]
    public void Model_ListsEachEntityInAnAssemblyAttribute()
    {
        (_, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Notes.Model", GeneratorHarness.References, ("Model.cs", ModelSource)));

        string[] listed = output.Assembly.GetAttributes()
            .Where(static a => a.AttributeClass?.Name == nameof(SyncableTypeAttribute))
            .Select(static a => ((ITypeSymbol)a.ConstructorArguments[0].Value!).ToDisplayString())
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(["Notes.Model.Draft", "Notes.Model.Note", "Notes.Model.Notebook"], listed);
    }

    [Fact]
    public void Rerun_AfterAnUnrelatedEditInTheApp_ReadsTheReferenceIntoAnUnchangedModelAndRegeneratesNothing()
    {
        MetadataReference model = CompileModel(ModelSource);
        CSharpCompilation app = App(AppSource, model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(app);

        SyntaxTree tree = app.SyntaxTrees.Single();
        SyntaxTree edited = CSharpSyntaxTree.ParseText(AppSource.Replace("Value => 1", "Value => 2", StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath);
        driver = driver.RunGenerators(app.ReplaceSyntaxTree(tree, edited));

        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.All(
            result.TrackedSteps[TrackingNames.ReferencedClientEntities].SelectMany(static s => s.Outputs),
            static o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(
            result.TrackedSteps[TrackingNames.SyncClientsWithEntities].SelectMany(static s => s.Outputs),
            static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs), static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Rerun_AfterTheModelGainsAnEntity_RegeneratesTheClientWithIt()
    {
        // The close case: the step above would also pass if references were never read again.
        CSharpCompilation app = App(AppSource, CompileModel(ModelSource));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(app);
        string grown = ModelSource + "\n[Syncable]\npublic partial class Tag\n{\n    public string Id { get; set; } = \"\";\n}\n";

        driver = driver.RunGenerators(App(AppSource, CompileModel(grown)));

        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.Contains(result.TrackedSteps[TrackingNames.ReferencedClientEntities].SelectMany(static s => s.Outputs), static o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("TagSet", result.GeneratedSources.Single(static s => s.HintName == "Notes.App.AppSync.Sync.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    private static void AssertSetOf(INamedTypeSymbol client, string setName, string entity)
    {
        INamedTypeSymbol set = Assert.Single(client.GetTypeMembers(setName));
        Assert.Equal("OfflineSync.SyncSet<" + entity + ">", set.BaseType!.ToDisplayString());
    }

    private static CSharpCompilation App(string source, MetadataReference model) =>
        GeneratorHarness.CreateCompilation("Notes.App", GeneratorHarness.References.Add(model), ("App.cs", source));

    /// <summary>The model project as a build leaves it: compiled with both generators and emitted to an image.</summary>
    private static MetadataReference CompileModel(string source)
    {
        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Notes.Model", GeneratorHarness.References, ("Model.cs", source)));
        Assert.Null(result.Exception);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(ImmutableArray.Create(image.ToArray()));
    }
}
