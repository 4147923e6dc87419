using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// A parse is reused for a compilation that declares what the last one did, and done again when any
/// declaration, reference or option changes. A counting generator drives the cache through a real
/// <see cref="GeneratorDriver"/>: Roslyn calls the transforms for every compilation, the cache decides
/// whether they parse.
/// </summary>
public sealed class ParseCacheTests
{
    private const string EntityPath = "Item.cs";
    private const string NamesPath = "Names.cs";

    private const string Entity = """
        using OfflineSync;

        namespace App;

        [Syncable(Names.Items)]
        public partial class Item
        {
            private int _seed = 1;

            public string Id { get; set; } = "";

            public int Count { get; set; }

            public int Twice() => Count * 2;

            public int Seeded()
            {
                return _seed + Count;
            }
        }

        [Syncable]
        public partial class Other
        {
            public string Id { get; set; } = "";
        }
        """;

    private const string Names = """
        namespace App;

        public static class Names
        {
            public const string Items = "items";

            public static string Describe(int count) => count + " items";
        }
        """;

    [Theory]
    [InlineData(EntityPath, "Count * 2", "Count * 3")]
    [InlineData(EntityPath, "return _seed + Count;", "int total = _seed + Count;\n        return total;")]
    [InlineData(EntityPath, "private int _seed = 1;", "private int _seed = 2;")]
    [InlineData(NamesPath, "count + \" items\"", "count + \" things\"")]
    [InlineData(EntityPath, "public int Count", "// A comment changes no declaration.\n    public int Count")]
    public void Rerun_AfterAnEditThatChangesNoDeclaration_ParsesNothing(string path, string before, string after)
    {
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();

        driver.RunGenerators(Edit(compilation, path, before, after));

        Assert.Equal(0, generator.TypeParses);
        Assert.Equal(0, generator.CompilationParses);
    }

    [Theory]
    [InlineData(EntityPath, "public int Count { get; set; }", "public int Count { get; set; }\n\n    public int Size { get; set; }")]
    [InlineData(EntityPath, "public int Count", "internal int Count")]
    [InlineData(EntityPath, "public int Twice()", "public long Twice()")]
    [InlineData(NamesPath, "public const string Items = \"items\";", "public const string Items = \"things\";")]
    [InlineData(NamesPath, "public static string Describe", "public static string Depict")]
    [InlineData(EntityPath, "return _seed + Count;", "#nullable disable\n        return _seed + Count;")]
    public void Rerun_AfterADeclarationChanges_ParsesEveryTypeAgain(string path, string before, string after)
    {
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();

        driver.RunGenerators(Edit(compilation, path, before, after));

        Assert.Equal(2, generator.TypeParses);
        Assert.Equal(1, generator.CompilationParses);
    }

    [Fact]
    public void Rerun_AfterABodyEditInAFileWithNullableDirectives_ParsesNothing()
    {
        // Directives left where they were change nothing: only a moved, added or removed one counts.
        string names = "#nullable enable\n" + Names.Replace("count + \" items\"", "\n#nullable disable\n        count + \" items\"", StringComparison.Ordinal);
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(names);

        driver.RunGenerators(Edit(compilation, NamesPath, "count + \" items\"", "count + \" things\""));

        Assert.Equal(0, generator.TypeParses);
    }

    [Fact]
    public void Rerun_AfterAFileIsAdded_ParsesEveryTypeAgain()
    {
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();

        driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App;\n\npublic class Unrelated { }\n", GeneratorHarness.ParseOptions, "Unrelated.cs")));

        Assert.Equal(2, generator.TypeParses);
    }

    [Fact]
    public void Rerun_AfterAReferenceIsRemoved_ParsesEveryTypeAgain()
    {
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();
        MetadataReference unused = compilation.References.First(static r => r.Display?.EndsWith("System.Xml.dll", StringComparison.Ordinal) == true);

        driver.RunGenerators(compilation.RemoveReferences(unused));

        Assert.Equal(2, generator.TypeParses);
        Assert.Equal(1, generator.CompilationParses);
    }

    [Fact]
    public void Rerun_WithOtherCompilationOptions_ParsesEveryTypeAgain()
    {
        // The nullable context changes every annotated type name the models hold.
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();

        driver.RunGenerators(compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable)));

        Assert.Equal(2, generator.TypeParses);
    }

    [Fact]
    public void Rerun_AfterABodyEditThenADeclarationEdit_ComparesWithTheLatestCompilation()
    {
        // The body edit's compilation becomes the one the next is compared with: its trees, not the first's.
        (CountingGenerator generator, GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();
        CSharpCompilation bodyEdit = Edit(compilation, EntityPath, "Count * 2", "Count * 3");
        driver = driver.RunGenerators(bodyEdit);
        CSharpCompilation secondBodyEdit = Edit(bodyEdit, NamesPath, "count + \" items\"", "count + \" things\"");
        driver = driver.RunGenerators(secondBodyEdit);
        Assert.Equal(0, generator.TypeParses);

        driver.RunGenerators(Edit(secondBodyEdit, EntityPath, "public int Count", "public long Count"));

        Assert.Equal(2, generator.TypeParses);
    }

    [Fact]
    public void EveryDriver_ParsesForItself()
    {
        // One cache per pipeline: a second driver (another project) reuses nothing of the first.
        (CountingGenerator generator, _, CSharpCompilation compilation) = RunOnce();

        CreateDriver(generator).RunGenerators(compilation);

        Assert.Equal(2, generator.TypeParses);
    }

    [Fact]
    public void TwoTransformsWithTheSameModelType_NeverShareModels()
    {
        // Models are kept per transform: a second transform over the same types gets its own, on the first run and on reuse.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation((EntityPath, Entity), (NamesPath, Names));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new TwoTransformsGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions)
            .RunGenerators(compilation);
        Assert.Equal("first:Item,first:Other|second:Item,second:Other", Output(driver));

        driver = driver.RunGenerators(Edit(compilation, EntityPath, "Count * 2", "Count * 3"));

        Assert.Equal("first:Item,first:Other|second:Item,second:Other", Output(driver));

        static string Output(GeneratorDriver driver) =>
            Assert.Single(Assert.Single(driver.GetRunResult().Results).GeneratedSources).SourceText.ToString();
    }

    private static (CountingGenerator Generator, GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(string names = Names)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation((EntityPath, Entity), (NamesPath, names));
        var generator = new CountingGenerator();
        GeneratorDriver driver = CreateDriver(generator).RunGenerators(compilation);
        Assert.Equal(2, generator.TypeParses);
        Assert.Equal(1, generator.CompilationParses);
        generator.Reset();
        return (generator, driver, compilation);
    }

    private static GeneratorDriver CreateDriver(CountingGenerator generator) =>
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);

    private static CSharpCompilation Edit(CSharpCompilation compilation, string path, string before, string after) =>
        GeneratorHarness.Edit(compilation, path, before, after);

    /// <summary>Parses through a <see cref="ParseCache"/> as <see cref="SyncGenerator"/> does, counting the parses that ran.</summary>
    private sealed class CountingGenerator : IIncrementalGenerator
    {
        private int _typeParses;
        private int _compilationParses;

        public int TypeParses => Volatile.Read(ref _typeParses);

        public int CompilationParses => Volatile.Read(ref _compilationParses);

        public void Reset()
        {
            Volatile.Write(ref _typeParses, 0);
            Volatile.Write(ref _compilationParses, 0);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = new ParseCache();
            IncrementalValuesProvider<string> types = context.SyntaxProvider.ForAttributeWithMetadataName(
                "OfflineSync.SyncableAttribute",
                static (_, _) => true,
                parsed.Cached((GeneratorAttributeSyntaxContext target, CancellationToken _) =>
                {
                    Interlocked.Increment(ref _typeParses);
                    return target.TargetSymbol.Name;
                }));
            IncrementalValueProvider<string> assembly = context.CompilationProvider.Select(parsed.Cached((Compilation compilation, CancellationToken _) =>
            {
                Interlocked.Increment(ref _compilationParses);
                return compilation.AssemblyName ?? string.Empty;
            }));
            context.RegisterSourceOutput(types.Collect().Combine(assembly), static (_, _) => { });
        }
    }

    /// <summary>Two cached transforms of the same model type (string) over the same attributed types.</summary>
    private sealed class TwoTransformsGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = new ParseCache();
            IncrementalValueProvider<ImmutableArray<string>> first = Names("first:");
            IncrementalValueProvider<ImmutableArray<string>> second = Names("second:");
            context.RegisterSourceOutput(first.Combine(second), static (output, pair) =>
                output.AddSource("Names.g.cs", string.Join(",", pair.Left.Order(StringComparer.Ordinal)) + "|" + string.Join(",", pair.Right.Order(StringComparer.Ordinal))));

            IncrementalValueProvider<ImmutableArray<string>> Names(string prefix) => context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "OfflineSync.SyncableAttribute",
                    static (_, _) => true,
                    parsed.Cached((GeneratorAttributeSyntaxContext target, CancellationToken _) => prefix + target.TargetSymbol.Name))
                .Collect();
        }
    }
}
