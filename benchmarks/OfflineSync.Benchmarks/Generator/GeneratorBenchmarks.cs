using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OfflineSync.Benchmarks.Generator;

/// <summary>
/// The generator in a <see cref="GeneratorDriver"/> over 500 <c>[Syncable]</c> types: a cold run (new
/// driver, a compilation with no semantic caches) and the reruns an IDE makes after an edit of a file
/// that has nothing to do with syncing: inside a method body (the parsed models are reused), and of a
/// declaration (a method renamed: every type is parsed again).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private int _edit;

    [Params(500)]
    public int Types { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _compilation = SyntheticApp.Create(Types);
        _warm = SyntheticApp.CreateDriver().RunGenerators(_compilation);
        GeneratorDriverRunResult result = _warm.GetRunResult();
        if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length < Types)
        {
            throw new InvalidOperationException($"The synthetic app did not generate cleanly: {result.GeneratedTrees.Length} files, {string.Join("; ", result.Diagnostics)}");
        }
    }

    [Benchmark(Baseline = true, Description = "Cold run")]
    public GeneratorDriver ColdRun() => SyntheticApp.CreateDriver().RunGenerators(_compilation.Clone());

    [Benchmark(Description = "Rerun after an unrelated edit")]
    public GeneratorDriver RerunAfterUnrelatedEdit() => _warm.RunGenerators(SyntheticApp.EditUnrelated(_compilation, ++_edit));

    [Benchmark(Description = "Rerun after an unrelated declaration edit")]
    public GeneratorDriver RerunAfterUnrelatedDeclarationEdit() => _warm.RunGenerators(SyntheticApp.EditUnrelatedDeclaration(_compilation, ++_edit));
}
