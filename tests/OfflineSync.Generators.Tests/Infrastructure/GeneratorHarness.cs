using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OfflineSync.Generators.Tests.Infrastructure;

/// <summary>Runs the generator in a <see cref="GeneratorDriver"/> over an in-memory compilation: no downloads, only the running runtime's assemblies.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>System.Text.Json's source generator from the SDK, as an app gets it: it gives contexts their metadata.</summary>
    private static readonly Lazy<ISourceGenerator> s_jsonGenerator = new(LoadJsonGenerator);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>The representative model of the test project, as source files copied beside the tests.</summary>
    public static ImmutableArray<(string Path, string Text)> RepresentativeModel { get; } =
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Models"), "*.cs")
            .OrderBy(static p => p, StringComparer.Ordinal)
            .Select(static p => (Path.GetFileName(p), File.ReadAllText(p)))
            .ToImmutableArray();

    public static CSharpCompilation CreateCompilation(params (string Path, string Text)[] sources) =>
        CreateCompilation("GeneratorTestAssembly", References, sources);

    public static CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<MetadataReference> references, params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(static s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// Returns <paramref name="compilation"/> with the file at <paramref name="path"/> edited as an editor does: a new tree
    /// in its place, every other tree the same object.
    /// </summary>
    public static CSharpCompilation Edit(CSharpCompilation compilation, string path, string before, string after)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        string text = tree.ToString();
        if (!text.Contains(before, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{path} does not contain '{before}'.", nameof(before));
        }

        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(before, after, StringComparison.Ordinal), ParseOptions, path));
    }

    /// <summary>A driver with the OfflineSync generator alone (what the incrementality tests watch), or with System.Text.Json's beside it.</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = true, bool withJsonGenerator = false) =>
        CSharpGeneratorDriver.Create(
            withJsonGenerator ? [new SyncGenerator().AsSourceGenerator(), s_jsonGenerator.Value] : [new SyncGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs both generators, as a build does, and returns the OfflineSync run and the compilation with every generated file added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver(withJsonGenerator: true).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return (Ours(driver.GetRunResult()), output);
    }

    /// <summary>The OfflineSync generator's part of a run.</summary>
    public static GeneratorRunResult Ours(GeneratorDriverRunResult run) =>
        run.Results.Single(static r => r.Generator.GetGeneratorType() == typeof(SyncGenerator));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(static p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll")
            .Append(typeof(SyncableAttribute).Assembly.Location)
            .Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static ISourceGenerator LoadJsonGenerator()
    {
        string path = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(static a => a.Key == "JsonSourceGenerator").Value
            ?? throw new InvalidOperationException("The build did not record System.Text.Json's source generator.");
        Assembly assembly = Assembly.LoadFrom(path);
        Type type = assembly.GetTypes().Single(static t => t.Name == "JsonSourceGenerator" && typeof(IIncrementalGenerator).IsAssignableFrom(t));
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }
}
